using CandyPack;

namespace MySite.Route;

public sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/hello", "hello");                                       // a controller
        Route.Get("/hello/inline", candy => candy.Stream("Hello World"));  // an inline handler
        Route.Get("/numbers", candy => candy.Stream(new[] { 1, 2, 3, 4, 5 }));
        Route.Get("/status", candy => new { status = "ok" });               // a JSON response
        Route.Get("/news", candy => candy.Stream(candy.Channel("news")));   // what is published to a channel, live
    }
}
