using System.Runtime.CompilerServices;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.TestSites.WebSockets.Route;

/// <summary>Routes for what only the WebSocket transport does: receiving, origins, pings, limits.</summary>
public sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/echo", candy =>
        {
            var stream = candy.Stream();
            stream.On("message", text => stream.Send("echo: " + text));
        });
        Route.Get("/read", async candy =>
        {
            var stream = candy.Stream();
            await foreach (var text in stream.ReadMessagesAsync())
            {
                stream.Send(text.ToUpperInvariant());
                if (text == "bye")
                {
                    stream.Close();
                }
            }
        });
        Route.Get("/can-receive", candy =>
        {
            var stream = candy.Stream();
            try
            {
                stream.On("message", _ => { });
                stream.Send("receiving");
            }
            catch (NotSupportedException e)
            {
                stream.Send(e.Message);
            }

            stream.Close();
        });
        Route.Get("/late-listener", async candy =>
        {
            var key = candy.Request("key") ?? string.Empty;
            var stream = candy.Stream();
            stream.Send("ready");

            // Listens only once the test has sent its messages: they arrived before anyone listened.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Probe.Count(key, "sent") == 0)
            {
                await Task.Delay(10, deadline.Token);
            }

            stream.On("message", text => stream.Send("late: " + text));
        });
        Route.Get("/read-when-told", async candy =>
        {
            // Takes the first message, then reads on only once the test says so, and reports how much waited unread at most.
            var key = candy.Request("key") ?? string.Empty;
            var stream = candy.Stream();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var read = 0;
            await foreach (var text in stream.ReadMessagesAsync())
            {
                if (text == "done")
                {
                    stream.Send($"read {read}, at most {stream.Inbox!.PeakUnreadBytes} bytes unread");
                    stream.Close();
                    break;
                }

                read++;
                while (Probe.Count(key, "read") == 0)
                {
                    await Task.Delay(10, deadline.Token);
                }
            }
        });
        Route.Get("/regular", candy => candy.Return("a regular response"));
        Route.Get("/idle", candy =>
        {
            var key = candy.Request("key");
            Probe.Hit(key, "opened");
            var stream = candy.Stream();
            stream.On("close", () => Probe.Hit(key, "cleanup"));
            stream.Send("ready");
        });
        Route.Get("/endless", candy =>
        {
            var key = candy.Request("key");
            var stream = candy.Stream(token => Endless(key, token));
            stream.On("close", () => Probe.Hit(key, "cleanup"));
            return stream;
        });
        Route.Get("/push/fast", candy =>
        {
            var key = candy.Request("key");
            var stream = candy.Stream();
            stream.On("close", () => Probe.Hit(key, "cleanup"));
            var chunk = new string('x', 4000);
            _ = Task.Run(async () =>
            {
                // Paced a little, so the handshake is over before a client that never reads can fall behind.
                while (stream.Send(chunk))
                {
                    await Task.Delay(1);
                }
            });
        });
    }

    private static async IAsyncEnumerable<int> Endless(string? key, [EnumeratorCancellation] CancellationToken token)
    {
        try
        {
            for (var n = 0; ; n++)
            {
                yield return n;
                await Task.Delay(20, token);
            }
        }
        finally
        {
            Probe.Hit(key, "finally");
        }
    }
}
