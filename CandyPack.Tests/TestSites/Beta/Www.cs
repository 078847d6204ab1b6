namespace CandyPack.Tests.TestSites.Beta.Route;

public sealed class Www : RouteFile
{
    protected override void Map() => Route.Get("/whoami", candy => "beta");
}
