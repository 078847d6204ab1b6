using System.Globalization;

namespace CandyPack.Tests.Presence.Site.Route;

/// <summary>The presence test site's routes: rooms ("room:*" keep presence), their presence and tokens, and a plain stream.</summary>
internal sealed class Www : RouteFile
{
    /// <summary>Channel handles kept past their request by <c>/kept/{name}</c>, for a later request to subscribe with.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, CandyChannel> Kept { get; } = new();

    protected override void Map()
    {
        Route.Get("/whoami", candy => new { name = candy.User.Identity?.Name, authenticated = candy.User.Identity?.IsAuthenticated == true });
        Route.Get("/rooms/{name}/stream", candy => candy.Stream(
            candy.Channel(candy.Request("name")!),
            new SubscribeOptions
            {
                JoinLeave = candy.Request("joinLeave") == "1",
                Info = candy.Request("device") is { } device ? new { device } : null,
            }));
        Route.Get("/rooms/{name}/presence", async candy => await candy.Channel(candy.Request("name")!).Presence());
        Route.Post("/rooms/{name}", async candy => new { id = await candy.Channel(candy.Request("name")!).Publish(candy.Request("text")) });
        Route.Get("/rooms/{name}/token", candy => new
        {
            token = candy.Channel(candy.Request("name")!).Token(candy.User, TimeSpan.FromSeconds(double.Parse(candy.Request("seconds") ?? "60", CultureInfo.InvariantCulture))),
        });
        Route.Get("/plain/stream", candy => candy.Stream());

        // A handle kept by one request and subscribed to by a later one, as a site that caches its channels would.
        Route.Get("/kept/{name}", candy =>
        {
            var channel = candy.Channel(candy.Request("name")!);
            Kept[channel.Name] = channel;
            return channel.Name;
        });
        Route.Get("/kept/{name}/stream", candy => candy.Stream(Kept[candy.Request("name")!], new SubscribeOptions { Info = new { device = "kept" } }));
    }
}
