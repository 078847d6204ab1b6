namespace CandyPack.Tests.TestSites.Missing.Route;

public sealed class Www : RouteFile
{
    protected override void Map() => Route.Get("/users", "users.list");
}
