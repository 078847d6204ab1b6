using System.Collections.Concurrent;
using System.Globalization;

namespace CandyPack.Tests.TestSites.DirectWrite.Route;

/// <summary>
/// Streams held open by one request and fed by another: the test decides when the senders run, so it can keep the
/// client from reading until every send has returned.
/// </summary>
public sealed class Www : RouteFile
{
    /// <summary>Open streams by the key their request gave.</summary>
    public static ConcurrentDictionary<string, CandyStream> Held { get; } = new();

    protected override void Map()
    {
        Route.Get("/held", candy =>
        {
            var stream = candy.Stream();
            Held[candy.Request("key")!] = stream;
            return stream;
        });

        // Several senders at once, each numbering its messages; answers how many Send calls were accepted, then closes the stream.
        Route.Get("/held/send", async candy =>
        {
            var stream = Held[candy.Request("key")!];
            var senders = int.Parse(candy.Request("senders")!, CultureInfo.InvariantCulture);
            var count = int.Parse(candy.Request("count")!, CultureInfo.InvariantCulture);
            var pad = new string('x', int.Parse(candy.Request("size")!, CultureInfo.InvariantCulture));
            var accepted = await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(() =>
            {
                var sent = 0;
                for (var n = 0; n < count; n++)
                {
                    sent += stream.Send(new { sender, n, pad }) ? 1 : 0;
                }

                return sent;
            })));
            stream.Close();
            return accepted.Sum().ToString(CultureInfo.InvariantCulture);
        });

        // Pulled items wait in the queue before they are written; the second cannot be serialised (System.Text.Json refuses Type).
        Route.Get("/queued-objects", candy => candy.Stream(new object[] { new { n = 1 }, typeof(string), new { n = 2, text = "é<" } }));

        // Objects of about the given size until Send refuses one (or 4,096 went in); answers how many were accepted.
        Route.Get("/held/flood", candy =>
        {
            var stream = Held[candy.Request("key")!];
            var pad = new string('x', int.Parse(candy.Request("size")!, CultureInfo.InvariantCulture));
            var sent = 0;
            while (sent < 4096 && stream.Send(new { n = sent, pad }))
            {
                sent++;
            }

            return sent.ToString(CultureInfo.InvariantCulture);
        });
    }
}
