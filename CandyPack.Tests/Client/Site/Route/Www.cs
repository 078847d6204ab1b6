using System.Collections.Concurrent;
using CandyPack.Tests.Client.Site;

namespace CandyPack.Tests.Client.Site.Route;

/// <summary>
/// The client test site's routes: a finite JSON stream, named events with ids, a regular JSON response, which transport
/// a stream came over, any channel by name, an echo over WebSocket, and routes that refuse (403) or fail once (503),
/// counting how often they were asked.
/// </summary>
internal sealed class Www : RouteFile
{
    /// <summary>Requests per key to the counting routes.</summary>
    public static ConcurrentDictionary<string, int> Hits { get; } = new();

    protected override void Map()
    {
        Route.Get("/items", candy => candy.Stream(new[] { new Item(1, "one"), new Item(2, "two"), new Item(3, "three") }));
        Route.Get("/named", candy =>
        {
            var stream = candy.Stream();
            stream.Send(new Item(1, "one"), "tick", "7");
            stream.Send("plain text");
            stream.Close();
        });
        Route.Get("/plain", candy => new Item(0, "not a stream"));
        Route.Get("/channels/{name}/stream", candy => candy.Stream(candy.Channel(candy.Request("name")!)));
        Route.Get("/transport", candy =>
        {
            var stream = candy.Stream();
            stream.Send(stream.CanReceive ? "websocket" : "sse");
            stream.Close();
        });
        Route.Get("/echo", candy =>
        {
            var stream = candy.Stream();
            stream.On("message", text => stream.Send("echo: " + text));
        });
        Route.Get("/refused/{key}", candy =>
        {
            Hits.AddOrUpdate(candy.Request("key")!, 1, (_, n) => n + 1);
            candy.Abort(403, "not for you");
        });
        Route.Get("/flaky/{key}", candy =>
        {
            if (Hits.AddOrUpdate(candy.Request("key")!, 1, (_, n) => n + 1) == 1)
            {
                candy.Abort(503, "try again later");
                return;
            }

            candy.Stream(new[] { new Item(1, "one") });
        });
    }
}

