using System.Text.Json;

namespace CandyPack.Tests.Channels.Site.Route;

/// <summary>
/// The channel test site's routes: any channel by name, "secret:" channels behind an authorizer, subscriptions whose
/// cleanup blocks (see <see cref="BlockingCleanup"/>), and one whose stream the test can look at.
/// </summary>
internal sealed class Www : RouteFile
{
    /// <summary>Streams of <c>/channels/{name}/held?key=</c> by key, for tests that look at a subscriber's connection.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, CandyStream> Held { get; } = new();

    protected override void Map()
    {
        Route.Get("/channels/{name}/stream", candy => candy.Stream(candy.Channel(candy.Request("name")!)));
        Route.Post("/channels/{name}", async candy => new { id = await candy.Channel(candy.Request("name")!).Publish(candy.Json<JsonElement>()) });
        Route.Get("/channels/{name}/object", candy => candy.Stream((object)candy.Channel(candy.Request("name")!)));
        Route.Get("/channels/{name}/recent/{count:int}", candy => candy.Stream(candy.Channel(candy.Request("name")!), int.Parse(candy.Request("count")!, System.Globalization.CultureInfo.InvariantCulture)));
        Route.Get("/channels/{name}/blocking-cleanup", candy =>
        {
            var stream = candy.Stream(candy.Channel(candy.Request("name")!));
            stream.CancellationToken.Register(BlockingCleanup.Run);
            return stream;
        });
        Route.Get("/channels/{name}/blocking-close", candy =>
        {
            var stream = candy.Stream(candy.Channel(candy.Request("name")!));
            stream.On("close", BlockingCleanup.Run);
            return stream;
        });
        Route.Get("/channels/{name}/held", candy =>
        {
            var stream = candy.Stream(candy.Channel(candy.Request("name")!));
            Held[candy.Request("key")!] = stream;
            return stream;
        });
    }
}
