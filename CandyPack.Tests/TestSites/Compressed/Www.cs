using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CandyPack.Tests.TestSites.Compressed.Route;

/// <summary>Streams for the compression tests; the site's config.json decides whether they are compressed.</summary>
public sealed class Www : RouteFile
{
    /// <summary>Open <c>/held</c> streams by their <c>key</c>, so a test sends each event itself, when it chooses.</summary>
    public static ConcurrentDictionary<string, CandyStream> Held { get; } = new();

    protected override void Map()
    {
        Route.Get("/items", candy =>
        {
            var count = int.Parse(candy.Request("n") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            return candy.Stream(token => Items(count, token));
        });
        Route.Get("/held", candy =>
        {
            var stream = candy.Stream();
            Held[candy.Request("key")!] = stream;
            stream.Send("open");
            return stream;
        });
        Route.Get("/json", candy => new { text = new string('x', 2000) });
    }

    private static object Item(int i) => new { id = i, name = "item", tags = new[] { "compressed", "stream" } };

    private static async IAsyncEnumerable<object> Items(int count, [EnumeratorCancellation] CancellationToken token)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 100 == 0)
            {
                await Task.Yield();
                token.ThrowIfCancellationRequested();
            }

            yield return Item(i);
        }
    }
}
