namespace CandyPack.Tests.Api.Site.Route;

/// <summary>The server API test site's routes: a channel's stream, and a plain stream, both as the <c>X-User</c> user.</summary>
internal sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/rooms/{name}/stream", candy => candy.Stream(candy.Channel(candy.Request("name")!)));
        Route.Get("/plain/stream", candy => candy.Stream());
    }
}
