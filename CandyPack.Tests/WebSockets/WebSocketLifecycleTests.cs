using System.Net.WebSockets;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.WebSockets;

/// <summary>How a WebSocket stream ends: client close, a dropped or frozen client, a slow consumer, a too-big message.</summary>
[TestFixture]
public sealed class WebSocketLifecycleTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "WebSockets",
        """{ "stream": { "heartbeat": 1, "queue": 64, "writeTimeout": 2 }, "websocket": { "pingTimeout": 2, "maxMessageSize": 1024 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task ClientClose_CancelsTheGenerator_AndRunsCleanupOnce()
    {
        var key = Probe.NewKey();
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/endless?key={key}");
        await socket.WaitForMessagesAsync(3);

        await socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "cleanup") == 1 && Probe.Count(key, "finally") == 1), Is.True, "cleanup and the generator's finally");
        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure), "the server answered the close");
        Assert.That(Probe.Count(key, "cleanup"), Is.EqualTo(1));
    }

    [Test]
    public async Task DroppedSocket_CancelsTheGenerator_AndRunsCleanupOnce()
    {
        var key = Probe.NewKey();
        var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/endless?key={key}");
        await socket.WaitForMessagesAsync(3);

        await socket.DisposeAsync();

        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "cleanup") == 1 && Probe.Count(key, "finally") == 1), Is.True, "cleanup and the generator's finally");
        Assert.That(Probe.Count(key, "cleanup"), Is.EqualTo(1));
    }

    [Test]
    public async Task ClientThatStopsAnsweringPings_IsDropped_WhileOneThatAnswersStays()
    {
        var frozenKey = Probe.NewKey();
        var liveKey = Probe.NewKey();
        await using var live = await WebSocketListener.ConnectAsync(_server.Address, $"/idle?key={liveKey}");
        using var frozen = await RawWebSocket.OpenAndFreezeAsync(_server.Address, $"/idle?key={frozenKey}");

        Assert.That(await Eventually.TrueAsync(() => Probe.Count(frozenKey, "cleanup") == 1, TimeSpan.FromSeconds(30)), Is.True, "the frozen client was not dropped");
        Assert.Multiple(() =>
        {
            Assert.That(live.Socket.State, Is.EqualTo(WebSocketState.Open), "a client that answers pings stays");
            Assert.That(Probe.Count(liveKey, "cleanup"), Is.Zero);
        });
    }

    [Test]
    public async Task SlowConsumer_IsDisconnected_AndLogged()
    {
        // No ping timeout, heartbeat or write deadline: only the slow-consumer policy can end a client that stops reading.
        await using var server = await CandyServer.StartAsync(TestSite.Create(
            "WebSockets",
            """{ "stream": { "heartbeat": 0, "queue": 64, "writeTimeout": 0 }, "websocket": { "pingTimeout": 0 } }"""));
        var streams = server.App.Services.GetRequiredService<CandyPack.Hosting.SiteRegistry>().Sites[0].Streams;
        var key = Probe.NewKey();
        using var frozen = await RawWebSocket.OpenAndFreezeAsync(server.Address, $"/push/fast?key={key}", receiveBuffer: 4096);

        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "cleanup") == 1, TimeSpan.FromSeconds(30)), Is.True, "the slow consumer was not cut");
        Assert.Multiple(() =>
        {
            Assert.That(streams.SlowConsumers, Is.EqualTo(1), "counted as a slow consumer");
            Assert.That(server.Logs.Contains(LogLevel.Warning, "fell 64 messages behind and was disconnected (slow consumer"), Is.True, "the cut was logged as a slow consumer");
            Assert.That(server.Logs.Contains(LogLevel.Warning, "stalled client"), Is.False, "not a write deadline");
        });
    }

    [Test]
    public async Task MessageOverMaxMessageSize_ClosesWith1009_AndIsLogged()
    {
        var key = Probe.NewKey();
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/echo?key={key}");

        await socket.SendAsync(new string('x', 2000));
        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
            Assert.That(socket.Socket.CloseStatusDescription, Does.Contain("websocket.maxMessageSize"));
            Assert.That(socket.Messages, Is.Empty, "the message was not delivered");
            Assert.That(_server.Logs.Contains(LogLevel.Warning, "at most 1024 bytes"), Is.True, "logged");
        });
    }

    [Test]
    public async Task RouteWithARegularResponse_AnswersTheUpgradeWithIt()
    {
        var (status, _, body) = await RawHttp.SendAsync(
            _server.Address,
            "GET /regular HTTP/1.1",
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body, Does.Contain("a regular response"));
    }

    [Test]
    public async Task HostShutdown_ClosesWith1001_WithoutEnd()
    {
        var server = await CandyServer.StartAsync(TestSite.Create("WebSockets"));
        var key = Probe.NewKey();
        await using var socket = await WebSocketListener.ConnectAsync(server.Address, $"/idle?key={key}");
        await socket.WaitForMessagesAsync(1);

        await server.DisposeAsync();
        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
            Assert.That(socket.Frames.Select(f => f.Event), Has.None.EqualTo("end"), "no end: the client reconnects");
            Assert.That(Probe.Count(key, "cleanup"), Is.EqualTo(1));
        });
    }
}
