using System.Net.WebSockets;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.WebSockets;

/// <summary>Client-to-server messages: <c>stream.On("message")</c> and <c>stream.ReadMessagesAsync()</c> over WebSocket, and what SSE says instead.</summary>
[TestFixture]
public sealed class WebSocketReceivingTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create("WebSockets"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task OnMessage_ReceivesEachTextMessage()
    {
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, "/echo");

        await socket.SendAsync("hello");
        await socket.SendAsync("Ünïcödé 🍬");

        Assert.That(await socket.WaitForMessagesAsync(2), Is.EqualTo(new[] { "echo: hello", "echo: Ünïcödé 🍬" }));
    }

    [Test]
    public async Task ReadMessagesAsync_ReadsInOrder_AndTheHandlerCanEndTheStream()
    {
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, "/read");

        foreach (var text in new[] { "a", "b", "bye" })
        {
            await socket.SendAsync(text);
        }

        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(socket.Messages, Is.EqualTo(new[] { "A", "B", "BYE" }));
            Assert.That(socket.Frames[^1].Event, Is.EqualTo("end"));
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        });
    }

    [Test]
    public async Task MessagesSentBeforeTheHandlerListens_AreHandedToIt()
    {
        var key = Probe.NewKey();
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/late-listener?key={key}");
        await socket.WaitForMessagesAsync(1);

        await socket.SendAsync("one");
        await socket.SendAsync("two");
        Probe.Hit(key, "sent");

        Assert.That(await socket.WaitForMessagesAsync(3), Is.EqualTo(new[] { "ready", "late: one", "late: two" }));
    }

    [Test]
    public async Task OverWebSocket_TheStreamCanReceive()
    {
        await using var socket = await WebSocketListener.ReadAllAsync(_server.Address, "/can-receive");

        Assert.That(socket.Messages, Is.EqualTo(new[] { "receiving" }));
    }

    [Test]
    public async Task OverServerSentEvents_ReceivingReportsThatThisTransportCannotReceive()
    {
        using var response = await _server.OpenStreamAsync("/can-receive");

        var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

        Assert.That(messages.Single(), Does.Contain("Server-Sent Events, which cannot receive messages"));
    }
}
