using System.Globalization;
using System.Net;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// A client that makes up channel names holds nothing lasting: refused subscriptions make no channel, and channels
/// that hold nothing (no subscriber, no history) give way at <c>channels.maxChannels</c>, so a flood of names never
/// locks out a channel that is wanted.
/// </summary>
[TestFixture]
public sealed class ChannelNameFloodTests
{
    [Test]
    public async Task RefusedSubscriptions_HoldNoChannel_AndNewAndExistingChannelsStillOpen()
    {
        await using var server = await CandyServer.StartAsync(ChannelSite.WithConfig(
            """{ "channels": { "history": 5, "historyAge": 60, "maxChannels": 200 } }"""));
        var hub = ChannelSite.Runtime(server).Channels;
        using (var existing = await server.OpenStreamAsync("/channels/existing/stream"))
        {
            Assert.That(existing.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var held = hub.Count;
        var refused = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await server.OpenStreamAsync($"/channels/secret:flood{i.ToString(CultureInfo.InvariantCulture)}/stream", ct);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                Interlocked.Increment(ref refused);
            }
        });

        Assert.That(refused, Is.EqualTo(1_000), "every made-up secret channel is refused");
        Assert.That(hub.Count, Is.EqualTo(held), "a refused subscription must not leave a channel behind");

        var allowed = server.Request(HttpMethod.Get, "/channels/secret:wanted/stream");
        allowed.Headers.Add("X-Allow", "yes");
        using var wanted = await server.Client.SendAsync(allowed, HttpCompletionOption.ResponseHeadersRead);
        using var again = await server.OpenStreamAsync("/channels/existing/stream");

        Assert.That(wanted.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an authorised user's new channel opens after the flood");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the existing channel opens after the flood");
    }

    [Test]
    public async Task SubscriptionsToManyNames_PastMaxChannels_GiveWayWhileChannelsWithHistoryStay()
    {
        await using var server = await CandyServer.StartAsync(ChannelSite.WithConfig(
            """{ "channels": { "history": 5, "historyAge": 60, "maxChannels": 50 } }"""));
        var hub = ChannelSite.Runtime(server).Channels;
        await hub.Channel("kept").Publish("the kept message");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 150; i++)
        {
            // Each subscription is opened, then dropped by the client (its connection closed, as a closed tab does)
            // before the next.
            var name = "name" + i.ToString(CultureInfo.InvariantCulture);
            using (var socket = await RawHttp.OpenAsync(server.Address, $"/channels/{name}/stream"))
            {
                var head = new byte[12];
                var read = 0;
                while (read < head.Length)
                {
                    read += await socket.ReceiveAsync(head.AsMemory(read));
                }

                Assert.That(System.Text.Encoding.ASCII.GetString(head), Is.EqualTo("HTTP/1.1 200"), $"subscription {i} past the cap of 50 was refused");
            }

            Assert.That(await Eventually.TrueAsync(() => hub.Channel(name).LocalSubscribers == 0), Is.True, $"the server kept subscription {i}");
        }

        TestContext.Progress.WriteLine($"150 subscriptions in {watch.ElapsedMilliseconds} ms");
        Assert.That(hub.Count, Is.LessThanOrEqualTo(50), "the registry stays within channels.maxChannels");
        await using var listener = await SseListener.OpenAsync(server.Client, "/channels/kept/recent/1");
        Assert.That(await listener.WaitForMessagesAsync(1), Is.EqualTo(new[] { "the kept message" }), "a channel with history is never dropped to make room");
    }
}
