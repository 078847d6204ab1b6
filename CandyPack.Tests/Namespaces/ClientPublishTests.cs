using System.Net;
using System.Net.WebSockets;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Namespaces.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Namespaces;

/// <summary>
/// <c>allowClientPublish</c>: what a WebSocket subscriber sends is published to its channel, with no handler; where the
/// namespace does not allow it nothing is published, and a client refused the subscription never gets to send.
/// </summary>
[TestFixture]
public sealed class ClientPublishTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(NamespaceSite.WithConfig(NamespaceSite.Config()));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private CandyChannel Channel(string name) => NamespaceSite.Runtime(_server).Channels.Channel(name);

    [Test]
    public async Task WebSocketMessage_ReachesTheOtherSubscribers_AsJsonOrText()
    {
        var chat = NamespaceSite.NewChannel("chat:");
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/ns/{chat}/stream");
        await using var writer = await WebSocketListener.ConnectAsync(_server.Address, $"/ns/{chat}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(Channel(chat), 2);

        await writer.SendAsync("""{"n":1}""");
        await writer.SendAsync("plain words");

        var items = await reader.WaitForAsync(i => i.Count >= 2, "both messages on the SSE subscriber");
        var own = await writer.WaitForAsync(f => f.Count >= 2, "both messages back on the sender, a subscriber too");
        Assert.Multiple(() =>
        {
            Assert.That(CandyChannelTests.Number(items[0].Data), Is.EqualTo(1), "JSON is published as that JSON");
            Assert.That(items[1].Data, Is.EqualTo("plain words"), "other text as a string");
            Assert.That(items.Select(i => i.EventId), Has.All.Not.Null, "channel messages with ids, resumable as any");
            Assert.That(own.Select(f => f.Id), Is.EqualTo(items.Select(i => i.EventId)));
            Assert.That(own[0].Data.GetProperty("n").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task WhereNotAllowed_AWebSocketMessageIsNotPublished()
    {
        var plain = NamespaceSite.NewChannel("plain:");
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/ns/{plain}/stream");
        var writer = await WebSocketListener.ConnectAsync(_server.Address, $"/ns/{plain}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(Channel(plain), 2);

        await writer.SendAsync("""{"n":1}""");

        // The server reads a socket in order: once the writer's close has ended its subscription, its message was read too.
        await writer.DisposeAsync();
        Assert.That(await Eventually.TrueAsync(() => Channel(plain).LocalSubscribers == 1), Is.True, "the writer's subscription ended");
        await Channel(plain).Publish(new { n = 2 });

        var items = await reader.WaitForAsync(i => i.Count >= 1, "the server's message");
        Assert.That(items.Select(i => CandyChannelTests.Number(i.Data)), Is.EqualTo(new[] { 2 }), "the client's message was not published");
    }

    [Test]
    public async Task AClientRefusedTheSubscription_CannotConnectToPublish_AnAllowedOneCan()
    {
        var closed = NamespaceSite.NewChannel("closed:");
        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;

        Assert.That(
            () => refused.ConnectAsync(WebSocketListener.Url(_server.Address, $"/ns/{closed}/stream"), CancellationToken.None),
            Throws.InstanceOf<WebSocketException>());
        Assert.That(refused.HttpStatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        await using var allowed = await WebSocketListener.ConnectAsync(_server.Address, $"/ns/{closed}/stream", o => o.SetRequestHeader("X-Allow", "yes"));
        await allowed.SendAsync("""{"n":3}""");
        var own = await allowed.WaitForAsync(f => f.Count >= 1, "the allowed client's message, published");
        Assert.That(own[0].Data.GetProperty("n").GetInt32(), Is.EqualTo(3));
    }
}
