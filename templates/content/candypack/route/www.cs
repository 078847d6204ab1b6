using CandyPack;

namespace MySite.Route;

public sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/hello", "hello");                                       // a controller
        Route.Get("/hello/inline", candy => candy.Stream("Hello World"));  // an inline handler
        Route.Get("/numbers", candy => candy.Stream(new[] { 1, 2, 3, 4, 5 }));
    }
}
