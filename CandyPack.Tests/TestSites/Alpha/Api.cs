namespace CandyPack.Tests.TestSites.Alpha.Route;

public sealed class Api : RouteFile
{
    protected override void Map() => Route.Get("/whoami", candy => "alpha api");
}
