using System.Text.Json;

namespace CandyPack.Tests.Channels.Site.Route;

/// <summary>
/// The channel test site's routes: any channel by name, "secret:" channels behind an authorizer, and a subscription
/// whose cleanup blocks (see <see cref="BlockingCleanup"/>).
/// </summary>
internal sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/channels/{name}/stream", candy => candy.Stream(candy.Channel(candy.Request("name")!)));
        Route.Post("/channels/{name}", async candy => new { id = await candy.Channel(candy.Request("name")!).Publish(candy.Json<JsonElement>()) });
        Route.Get("/channels/{name}/object", candy => candy.Stream((object)candy.Channel(candy.Request("name")!)));
        Route.Get("/channels/{name}/blocking-cleanup", candy =>
        {
            var stream = candy.Stream(candy.Channel(candy.Request("name")!));
            stream.CancellationToken.Register(BlockingCleanup.Run);
            return stream;
        });
    }
}
