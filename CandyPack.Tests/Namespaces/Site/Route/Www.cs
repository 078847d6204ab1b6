using System.Text.Json;

namespace CandyPack.Tests.Namespaces.Site.Route;

/// <summary>The namespace test site's routes: subscribe (SSE or WebSocket), publish a JSON body, and a channel's presence.</summary>
internal sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/ns/{name}/stream", candy => candy.Stream(candy.Channel(candy.Request("name")!)));
        Route.Post("/ns/{name}", async candy => new { id = await candy.Channel(candy.Request("name")!).Publish(candy.Json<JsonElement>()) });
        Route.Get("/ns/{name}/presence", async candy => await candy.Channel(candy.Request("name")!).Presence());
    }
}
