using System.Net.Sockets;
using System.Text;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Streaming;

/// <summary>Who ends a response: after it has ended, nothing the handler does may reach the connection.</summary>
[TestFixture]
public sealed class StreamEndingTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "Streams",
        """{ "request": { "timeout": 0.5 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task TimedOutHandler_NeverReachesTheNextRequestOnTheSameConnection_AndEveryMemberSaysTheResponseEnded()
    {
        var key = Probe.NewKey();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_server.Address.Host, _server.Address.Port);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new StringBuilder();

        await SendAsync(socket, $"/late-after-timeout?key={key}", "text/plain");
        await ReadUntilAsync(socket, received, text => text.Contains("\r\n0\r\n\r\n", StringComparison.Ordinal), deadline.Token);
        var first = received.ToString();
        received.Clear();
        await SendAsync(socket, $"/second?key={key}", "text/event-stream");
        await ReadUntilAsync(socket, received, text => text.Contains("event: end", StringComparison.Ordinal), deadline.Token);
        var second = received.ToString();

        Assert.That(first, Does.StartWith("HTTP/1.1 408"));
        Assert.That(second, Does.StartWith("HTTP/1.1 200"));
        Assert.That(second, Does.Contain("data: second\n"));
        Assert.That(second, Does.Not.Contain("late"), "the timed-out handler wrote into the next request's response");
        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "late-done") == 1), Is.True);
        Assert.That(Probe.Count(key, "refused"), Is.EqualTo(12), "each Candy member touching the request or response must throw, naming the route and that the response ended");
    }

    private static Task<int> SendAsync(Socket socket, string path, string accept) =>
        socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: {accept}\r\n\r\n"));

    private static async Task ReadUntilAsync(Socket socket, StringBuilder received, Func<string, bool> done, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (!done(received.ToString()))
        {
            var n = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.That(n, Is.Positive, $"the server closed the connection; so far: {received}");
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }
}
