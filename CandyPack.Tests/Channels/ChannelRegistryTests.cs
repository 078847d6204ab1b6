using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Tests.Channels;

/// <summary>The site's channel registry shrinks back: idle channels are dropped, and a cap bounds how many are held.</summary>
[TestFixture]
public sealed class ChannelRegistryTests
{
    [Test]
    public async Task IdleChannelsWithoutSubscribers_AreDropped_AndTheMemoryTheyHeldReturns()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create(
            "Streams",
            """{ "channels": { "history": 4, "historyAge": 15, "maxChannels": 0 } }"""));

        // The history outlives the publishing even on a loaded machine, so the peak sees every channel alive.
        var hub = ChannelSite.Runtime(server).Channels;
        var start = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 100_000; i++)
        {
            await hub.Channel("user-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Publish(new { i, text = "a message kept in the history" });
        }

        var peak = GC.GetTotalMemory(forceFullCollection: true);
        Assert.That(await Eventually.TrueAsync(() => hub.Count == 0, TimeSpan.FromSeconds(120)), Is.True, $"{hub.Count} channels are still held after their history expired");
        var end = GC.GetTotalMemory(forceFullCollection: true);

        Assert.That(peak - start, Is.GreaterThan(10 * 1024 * 1024), "100,000 channels with history should take real memory while they live");
        Assert.That(end - start, Is.LessThan(4 * 1024 * 1024), $"memory did not return: {start:N0} bytes at the start, {peak:N0} at the peak, {end:N0} after expiry");
    }

    [Test]
    public async Task MaxChannels_RefusesANewChannelWith503_WhileTheHeldOnesAreLive()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create(
            "Streams",
            """{ "channels": { "historyAge": 300, "maxChannels": 3 } }"""));
        var hub = ChannelSite.Runtime(server).Channels;
        for (var i = 0; i < 3; i++)
        {
            await hub.Channel($"held-{i}").Publish("x");
        }

        var refused = await Assert.ThrowsAsync<BadHttpRequestException>(() => hub.Channel("one-too-many").Publish("x"));

        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
        Assert.That(refused.Message, Does.Contain("channels.maxChannels"));
        Assert.That(hub.Channel("held-0").Name, Is.EqualTo("held-0"), "a channel already held stays reachable at the cap");
    }
}
