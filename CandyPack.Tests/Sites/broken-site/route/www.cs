using CandyPack;

namespace BrokenSite.Route;

// This site does not compile on purpose: the host must stop and print the compiler's error.
public sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/hello", candy => candy.Stream("Hello World"))
    }
}
