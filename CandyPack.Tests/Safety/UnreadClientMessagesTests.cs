using System.Net;
using System.Net.WebSockets;
using System.Text;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Safety;

/// <summary>
/// What a WebSocket client sends is bounded in bytes whatever the route does (<c>websocket.maxUnreadBytes</c>): a
/// stream that never listens closes the socket with 1008 instead of holding the flood, and a reader that falls behind
/// slows the client down instead of buffering it.
/// </summary>
[TestFixture]
public sealed class UnreadClientMessagesTests
{
    private const int FrameSize = 60_000;

    [Test]
    public async Task AnonymousClientsFloodingAChannelSubscription_AreClosedWith1008_AndTheServerStillAnswers()
    {
        await using var server = await CandyServer.StartAsync(CandyServer.ExampleSite());
        var frame = Encoding.UTF8.GetBytes(new string('x', FrameSize));

        // Eight clients with no Origin and no cookie, as the probe: each sends 200 frames of 60,000 bytes to a
        // subscription that never reads client messages.
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => WebSocketListener.ConnectAsync(server.Address, "/notifications/stream")));
        try
        {
            await Task.WhenAll(clients.Select(client => FloodAsync(client, frame, 200)));
            foreach (var client in clients)
            {
                Assert.That(
                    await Task.WhenAny(client.Completion, Task.Delay(TimeSpan.FromSeconds(30))),
                    Is.SameAs(client.Completion),
                    "the server kept the flooding socket open");
            }

            using var health = await server.GetAsync("/_candy/health");
            Assert.Multiple(() =>
            {
                Assert.That(clients.Select(c => c.CloseStatus), Is.All.EqualTo(WebSocketCloseStatus.PolicyViolation));
                Assert.That(clients[0].Socket.CloseStatusDescription, Does.Contain("websocket.maxUnreadBytes"));
                Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(server.Logs.Entries.Count(l => l.Message.Contains("websocket.maxUnreadBytes", StringComparison.Ordinal)), Is.EqualTo(1), "one warning a minute for the eight refusals");
            });
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task AReaderThatFallsBehind_HoldsAtMostMaxUnreadBytes_AndLosesNothing()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("WebSockets"));
        var key = Probe.NewKey();
        await using var socket = await WebSocketListener.ConnectAsync(server.Address, $"/read-when-told?key={key}");
        var frame = new string('y', FrameSize);

        // 100 frames (6 MB) while the handler is stuck after the first: the server stops reading the socket, so the
        // client's sends wait in the network buffers, until the handler reads on.
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await socket.SendAsync(frame);
                Interlocked.Increment(ref sent);
            }

            await socket.SendAsync("done");
        });

        // Ten frames are well within what the server's connection buffers take, however little the stream holds.
        Assert.That(await Eventually.TrueAsync(() => Volatile.Read(ref sent) >= 10 || sending.IsFaulted), Is.True, "the client could not send ten frames");
        Probe.Hit(key, "read");
        await sending.WaitAsync(TimeSpan.FromSeconds(60));
        var report = await socket.WaitForMessagesAsync(1, TimeSpan.FromSeconds(60));

        Assert.That(report[0], Does.StartWith("read 100, "), "every message reaches the reader");
        var peak = long.Parse(report[0].Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(peak, Is.LessThanOrEqualTo(64 * 1024), "the unread messages stay within websocket.maxUnreadBytes");
    }

    [Test]
    public async Task MaxUnreadBytesBelowOne_StopsStartup_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => CandyServer.StartAsync(TestSite.Create(
            "WebSockets",
            """{ "websocket": { "maxUnreadBytes": 0 } }""")));

        Assert.That(error!.Message, Does.Contain("websocket.maxUnreadBytes must be at least 1 (it is 0)"));
    }

    /// <summary>Sends until the count is reached or the server has closed the socket.</summary>
    private static async Task FloodAsync(WebSocketListener client, byte[] frame, int count)
    {
        for (var i = 0; i < count && client.Socket.State == WebSocketState.Open; i++)
        {
            try
            {
                await client.Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                return;
            }
        }
    }
}
