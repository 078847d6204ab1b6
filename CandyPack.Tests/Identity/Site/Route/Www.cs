namespace CandyPack.Tests.Identity.Site.Route;

/// <summary>The bearer site's routes: who the request is, a room's stream, its presence and its subscribe tokens.</summary>
internal sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/whoami", candy => new { name = candy.User.Identity?.Name, authenticated = candy.User.Identity?.IsAuthenticated == true });
        Route.Get("/rooms/{name}/stream", candy => candy.Stream(candy.Channel(candy.Request("name")!)));
        Route.Get("/rooms/{name}/presence", async candy => await candy.Channel(candy.Request("name")!).Presence());
        Route.Get("/rooms/{name}/token", candy => new { token = candy.Channel(candy.Request("name")!).Token(candy.User, TimeSpan.FromMinutes(1)) });
    }
}
