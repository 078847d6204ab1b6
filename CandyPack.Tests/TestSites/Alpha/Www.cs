namespace CandyPack.Tests.TestSites.Alpha.Route;

public sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/whoami", candy => "alpha");
        Route.Get("/only-alpha", candy => "alpha only");
        Route.Post("/only-post.txt", candy => "posted to www");
    }
}
