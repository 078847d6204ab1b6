using CandyPack.Tests.Channels;
using CandyPack.Tests.Namespaces.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Namespaces;

/// <summary>
/// <c>recover: "cache"</c> in one process: a newcomer without a last id gets the channel's latest message at once,
/// then live ones, over Server-Sent Events and WebSocket alike; a channel of another namespace gives nothing first.
/// A clock the tests move.
/// </summary>
[TestFixture]
public sealed class LatestValueTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UnixEpoch.AddYears(56));
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(_clock, NamespaceSite.WithConfig(NamespaceSite.Config()));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private CandyChannel Channel(string name) => NamespaceSite.Runtime(_server).Channels.Channel(name);

    [Test]
    public async Task Sse_ANewcomerGetsTheLatestMessage_ThenLiveOnes()
    {
        var price = NamespaceSite.NewChannel("price:");
        await Channel(price).Publish(new { n = 1 });
        var latest = await Channel(price).Publish(new { n = 2 });

        await using var listener = await SseListener.OpenAsync(_server.Client, $"/ns/{price}/stream");
        var first = await listener.WaitForAsync(i => i.Count >= 1, "the latest message");
        await Channel(price).Publish(new { n = 3 });
        var items = await listener.WaitForAsync(i => i.Count >= 2, "the live message after it");

        Assert.Multiple(() =>
        {
            Assert.That(first[0].EventId, Is.EqualTo(latest));
            Assert.That(items.Select(i => CandyChannelTests.Number(i.Data)), Is.EqualTo(new[] { 2, 3 }), "the latest only, not the history before it");
        });
    }

    [Test]
    public async Task WebSocket_ANewcomerGetsTheLatestMessage_ThenLiveOnes()
    {
        var price = NamespaceSite.NewChannel("price:");
        await Channel(price).Publish(new { n = 1 });
        var latest = await Channel(price).Publish(new { n = 2 });

        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, $"/ns/{price}/stream");
        var first = await socket.WaitForAsync(f => f.Count >= 1, "the latest message");
        await Channel(price).Publish(new { n = 3 });
        var frames = await socket.WaitForAsync(f => f.Count >= 2, "the live message after it");

        Assert.Multiple(() =>
        {
            Assert.That(first[0].Id, Is.EqualTo(latest));
            Assert.That(frames.Select(f => f.Data.GetProperty("n").GetInt32()), Is.EqualTo(new[] { 2, 3 }));
        });
    }

    [Test]
    public async Task OutsideCacheMode_ANewcomerGetsOnlyLiveMessages()
    {
        var plain = NamespaceSite.NewChannel("plain:");
        await Channel(plain).Publish(new { n = 1 });

        await using var listener = await SseListener.OpenAsync(_server.Client, $"/ns/{plain}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(Channel(plain), 1);
        await Channel(plain).Publish(new { n = 2 });

        var items = await listener.WaitForAsync(i => i.Count >= 1, "the live message");
        Assert.That(CandyChannelTests.Number(items[0].Data), Is.EqualTo(2));
    }

    [Test]
    public async Task WithoutAnAgeLimit_AnIdleCacheChannelKeepsItsValue_WhereOthersAreDropped()
    {
        var hub = NamespaceSite.Runtime(_server).Channels;
        var state = NamespaceSite.NewChannel("state:");
        var plain = NamespaceSite.NewChannel("plain:");
        var latest = await Channel(state).Publish(new { n = 1 });
        await Channel(plain).Publish(new { n = 1 });

        // Ten idle minutes: past the flat historyAge (60 s) and the default idle time (300 s).
        _clock.Advance(TimeSpan.FromMinutes(10));
        hub.Sweep();

        Assert.That(hub.TryGet(plain, out _), Is.False, "an idle channel of another namespace is dropped");
        await using var listener = await SseListener.OpenAsync(_server.Client, $"/ns/{state}/stream");
        var items = await listener.WaitForAsync(i => i.Count >= 1, "the value kept while idle");
        Assert.That(items[0].EventId, Is.EqualTo(latest));
    }
}
