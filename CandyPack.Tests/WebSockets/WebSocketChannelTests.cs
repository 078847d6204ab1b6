using System.Net;
using System.Net.WebSockets;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.WebSockets;

/// <summary>
/// Channel subscriptions over WebSocket: the same ids, history, resume and reset as over Server-Sent Events, and a
/// client that moves between the two transports loses nothing (history of 5, Sites/channels).
/// </summary>
[TestFixture]
public sealed class WebSocketChannelTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(ChannelSite.Definition());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private CandyChannel NewChannel() => ChannelSite.Runtime(_server).Channels.Channel("ws-" + Guid.NewGuid().ToString("N"));

    [Test]
    public async Task Subscriber_GetsEachMessageOnce_WithItsId_StringsAsJsonStrings()
    {
        var channel = NewChannel();
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/channels/{channel.Name}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);

        var first = await channel.Publish("plain text, not JSON");
        var second = await channel.Publish(new { n = 2 }, "tick");

        var frames = await socket.WaitForAsync(f => f.Count >= 2, "two messages");
        Assert.That(frames.Select(f => f.Text), Is.EqualTo(new[]
        {
            $$"""{"data":"plain text, not JSON","id":"{{first}}"}""",
            $$"""{"data":{"n":2},"event":"tick","id":"{{second}}"}""",
        }));
    }

    [Test]
    public async Task SseDropped_ResumedOverWebSocket_LosesNothing()
    {
        var channel = NewChannel();
        string lastId;
        await using (var sse = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream"))
        {
            await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
            await channel.Publish(new { n = 1 });
            await channel.Publish(new { n = 2 });
            lastId = (await sse.WaitForAsync(i => i.Count >= 2, "two messages over SSE"))[^1].EventId!;
        }

        await channel.Publish(new { n = 3 });
        await channel.Publish(new { n = 4 });
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/channels/{channel.Name}/stream?lastEventId={lastId}");
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 5 });

        Assert.That((await socket.WaitForMessagesAsync(3)).Select(CandyChannelTests.Number), Is.EqualTo(new[] { 3, 4, 5 }));
    }

    [Test]
    public async Task WebSocketDropped_ResumedOverSse_LosesNothing()
    {
        var channel = NewChannel();
        string lastId;
        await using (var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/channels/{channel.Name}/stream"))
        {
            await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
            await channel.Publish(new { n = 1 });
            await channel.Publish(new { n = 2 });
            lastId = (await socket.WaitForAsync(f => f.Count >= 2, "two messages over WebSocket"))[^1].Id!;
        }

        await channel.Publish(new { n = 3 });
        await using var sse = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: lastId);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 4 });

        Assert.That((await sse.WaitForMessagesAsync(2)).Select(CandyChannelTests.Number), Is.EqualTo(new[] { 3, 4 }));
    }

    [Test]
    public async Task ResumeOlderThanTheHistory_GetsReset()
    {
        var channel = NewChannel();
        var first = await channel.Publish(new { n = 1 });
        for (var n = 2; n <= 8; n++)
        {
            await channel.Publish(new { n });
        }

        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/channels/{channel.Name}/stream?lastEventId={first}");

        var reset = (await socket.WaitForAsync(f => f.Count >= 1, "a reset"))[0];
        Assert.That(reset.Event, Is.EqualTo("reset"));
        Assert.That(reset.Data.GetProperty("channel").GetString(), Is.EqualTo(channel.Name));
    }

    [Test]
    public async Task ChannelAuthorizer_RefusesTheUpgradeWith403()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        Assert.That(
            () => socket.ConnectAsync(WebSocketListener.Url(_server.Address, "/channels/secret:x/stream"), CancellationToken.None),
            Throws.InstanceOf<WebSocketException>());
        Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        await using var allowed = await WebSocketListener.ConnectAsync(_server.Address, "/channels/secret:x/stream", o => o.SetRequestHeader("X-Allow", "yes"));
        Assert.That(allowed.Socket.State, Is.EqualTo(WebSocketState.Open));
    }
}
