using CandyPack.Tests.Namespaces.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Namespaces;

/// <summary>
/// Namespaces with Redis, two instances of one site on the Redis server scripts/test.sh starts: each channel's stream
/// is trimmed to its namespace's history.
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
