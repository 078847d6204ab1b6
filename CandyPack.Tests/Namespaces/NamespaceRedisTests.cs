using CandyPack.Tests.Channels;
using CandyPack.Tests.Namespaces.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Namespaces;

/// <summary>
/// Namespaces with Redis, two instances of one site on the Redis server scripts/test.sh starts: the latest message of a
/// cache-mode channel comes from its shared stream, so an instance that never saw it gives it; and each channel's
/// stream is trimmed to its namespace's history.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NamespaceRedisTests
{
    private CandyServer _a = null!;
    private CandyServer _b = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // One site for both, so they share its Redis keys, as two instances of a deployed site do.
        var site = NamespaceSite.WithConfig(NamespaceSite.Config($$""", "redis": "{{TestServices.Redis}}" """));
        _a = await CandyServer.StartAsync(site);
        _b = await CandyServer.StartAsync(site);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Test]
    public async Task Cache_ASubscriberOnB_GetsTheLatestMessageAPublished_BeforeBEverSawTheChannel()
    {
        var price = NamespaceSite.NewChannel("price:");
        var onA = NamespaceSite.Runtime(_a).Channels.Channel(price);
        await onA.Publish(new { n = 1 });
        var latest = await onA.Publish(new { n = 2 });
        Assert.That(NamespaceSite.Runtime(_b).Channels.TryGet(price, out _), Is.False, "B holds nothing of the channel yet");

        await using var sse = await SseListener.OpenAsync(_b.Client, $"/ns/{price}/stream");
        await using var socket = await WebSocketListener.ConnectAsync(_b.Address, $"/ns/{price}/stream");
        var first = await sse.WaitForAsync(i => i.Count >= 1, "the latest message on B over SSE");
        var firstFrame = await socket.WaitForAsync(f => f.Count >= 1, "the latest message on B over WebSocket");
        await onA.Publish(new { n = 3 });
        var items = await sse.WaitForAsync(i => i.Count >= 2, "the live message after it");

        Assert.Multiple(() =>
        {
            Assert.That(first[0].EventId, Is.EqualTo(latest), "the shared stream's id");
            Assert.That(firstFrame[0].Id, Is.EqualTo(latest));
            Assert.That(items.Select(i => CandyChannelTests.Number(i.Data)), Is.EqualTo(new[] { 2, 3 }));
        });
    }

    [Test]
    public async Task EachChannelsRedisStream_KeepsItsNamespacesHistory()
    {
        var hub = NamespaceSite.Runtime(_a).Channels;
        var kept = new Dictionary<string, int>();
        foreach (var prefix in new[] { "short:", "short:long:", "plain:" })
        {
            var name = NamespaceSite.NewChannel(prefix);
            for (var n = 1; n <= 10; n++)
            {
                await hub.Channel(name).Publish(new { n });
            }

            kept[prefix] = (await hub.Redis!.Streams.NewestAsync(name, 100)).Length;
        }

        Assert.That(kept, Is.EqualTo(new Dictionary<string, int> { ["short:"] = 2, ["short:long:"] = 8, ["plain:"] = 5 }));
    }
}
