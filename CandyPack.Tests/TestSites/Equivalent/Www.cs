namespace CandyPack.Tests.TestSites.Equivalent.Route;

/// <summary>Two patterns that differ only in a parameter's name: every request to /dup/x would match both.</summary>
public sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/dup/{id}", candy => "by id");
        Route.Get("/dup/{name}", candy => "by name");
    }
}
