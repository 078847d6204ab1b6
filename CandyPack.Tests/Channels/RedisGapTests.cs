using System.Diagnostics.Metrics;
using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.Channels;

/// <summary>
/// Gap detection while connected: Redis pub/sub is at most once, and a message it drops between Redis and an instance
/// whose subscription stays up (Redis dropping a slow pub/sub client's output, a reconnect the client library hid)
/// cannot be caused from outside; the tests simulate it with the subscription's hook that loses the next messages of
/// a channel. Two in-process instances of the channel test site share the Redis server of the test run, over real
/// Kestrel sockets.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisGapTests
{
    private const string Missed = "the Redis subscription missed";

    [Test]
    public async Task PubSubMessagesLost_Simulated_AreReadBackFromTheStream_InOrder_OnceEach_OnTheSameConnection()
    {
        using var gaps = new GapCounter();
        var site = ChannelSite.WithConfig($$"""{ "redis": "{{TestServices.Redis}}" }""");
        await using var a = await CandyServer.StartAsync(site);
        await using var b = await CandyServer.StartAsync(site);
        var name = RedisScaleOutTests.NewUser();
        await using var onA = await SseListener.OpenAsync(a.Client, $"/channels/{name}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(a).Channels.Channel(name), 1);
        var fromB = ChannelSite.Runtime(b).Channels.Channel(name);
        var ids = new List<string> { await fromB.Publish(new { n = 1 }) };
        await onA.WaitForMessagesAsync(1);

        // A hears neither 2 nor 3; 4 says the entry before it is 3's, which A has not taken.
        ChannelSite.Runtime(a).Channels.Redis!.Subscription.DropNext(name, 2);
        for (var n = 2; n <= 4; n++)
        {
            ids.Add(await fromB.Publish(new { n }));
        }

        await onA.WaitForMessagesAsync(4);
        ids.Add(await fromB.Publish(new { n = 5 }));
        await onA.WaitForMessagesAsync(5);

        Assert.Multiple(() =>
        {
            Assert.That(onA.Messages.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }), "the lost messages before the one that showed the gap, once each");
            Assert.That(onA.Items.Select(i => i.EventId), Is.EqualTo(ids), "under the ids the stream gave");
            Assert.That(onA.Items.Select(i => i.EventType), Has.All.EqualTo("message"), "no reset");
            Assert.That(onA.Completion.IsCompleted, Is.False, "the same connection, not a reconnect");
            Assert.That(a.Logs.Contains(LogLevel.Warning, $"{Missed} 2 messages"), Is.True, "A says what it read back");
            Assert.That(gaps.Recovered, Is.GreaterThanOrEqualTo(1), "counted in candypack.channel.gaps");
            Assert.That(b.Logs.Contains(LogLevel.Warning, Missed), Is.False, "B missed nothing");
        });
    }

    [Test]
    public async Task PubSubMessagesLost_Simulated_NoLongerInTheStream_SubscribersGetReset()
    {
        using var gaps = new GapCounter();
        var site = ChannelSite.WithConfig($$"""{ "redis": "{{TestServices.Redis}}", "channels": { "history": 2 } }""");
        await using var a = await CandyServer.StartAsync(site);
        await using var b = await CandyServer.StartAsync(site);
        var name = RedisScaleOutTests.NewUser();
        var fromB = ChannelSite.Runtime(b).Channels.Channel(name);
        string first;
        await using (var onA = await SseListener.OpenAsync(a.Client, $"/channels/{name}/stream"))
        {
            await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(a).Channels.Channel(name), 1);
            first = await fromB.Publish(new { n = 1 });
            await onA.WaitForMessagesAsync(1);

            // The stream keeps two entries: once 5 is appended, 2 and 3 are gone, and with them A's newest id.
            ChannelSite.Runtime(a).Channels.Redis!.Subscription.DropNext(name, 3);
            for (var n = 2; n <= 5; n++)
            {
                await fromB.Publish(new { n });
            }

            var ended = await Eventually.TrueAsync(() => onA.Completion.IsCompleted, TimeSpan.FromSeconds(30));
            Assert.Multiple(() =>
            {
                Assert.That(ended, Is.True, "A's subscriber is asked to reconnect: " + SseListener.Describe(onA.Items));
                Assert.That(onA.Messages.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1 }), "nothing after the gap reached the old connection");
                Assert.That(a.Logs.Contains(LogLevel.Warning, "the stream no longer keeps them"), Is.True, "A says why");
                Assert.That(gaps.Reset, Is.GreaterThanOrEqualTo(1), "counted in candypack.channel.gaps");
            });
        }

        // The client reconnects with the last id it has, as EventSource does.
        await using var again = await SseListener.OpenAsync(a.Client, $"/channels/{name}/stream", first);
        var items = await again.WaitForAsync(i => i.Count >= 1, "the reset");
        Assert.That(items[0].EventType, Is.EqualTo("reset"));
    }

    [Test]
    public async Task MessageHeardAfterTheStreamWasRead_Simulated_StillReachesTheSubscriber()
    {
        var site = ChannelSite.WithConfig($$"""{ "redis": "{{TestServices.Redis}}" }""");
        await using var a = await CandyServer.StartAsync(site);
        await using var b = await CandyServer.StartAsync(site);
        var name = RedisScaleOutTests.NewUser();
        await using var onA = await SseListener.OpenAsync(a.Client, $"/channels/{name}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(a).Channels.Channel(name), 1);

        // A's subscription runs behind its commands: the message is in the stream, its pub/sub copy not heard yet, when
        // a client resuming on A makes A read where the stream is.
        var subscription = ChannelSite.Runtime(a).Channels.Redis!.Subscription;
        subscription.Hold(name);
        var fromB = ChannelSite.Runtime(b).Channels.Channel(name);
        var ids = new List<string> { await fromB.Publish(new { n = 1 }) };
        await using (var resuming = await SseListener.OpenAsync(a.Client, $"/channels/{name}/stream", "1-0"))
        {
            await resuming.WaitForAsync(i => i.Count >= 1, "the resuming client's reset, once A has read the stream");
        }

        subscription.Release(name);
        ids.Add(await fromB.Publish(new { n = 2 }));

        await onA.WaitForAsync(i => i.Any(e => e.EventId == ids[^1]), "the second message");
        Assert.That(onA.Items.Select(i => i.EventId), Is.EqualTo(ids), "the message heard late as well, in order");
    }

    [Test]
    public async Task SteadyPublishing_OnTwoInstances_NoGapIsSeen()
    {
        const int PerInstance = 300;
        var site = ChannelSite.WithConfig($$"""{ "redis": "{{TestServices.Redis}}", "channels": { "history": 1000 } }""");
        await using var a = await CandyServer.StartAsync(site);
        await using var b = await CandyServer.StartAsync(site);
        var names = new[] { RedisScaleOutTests.NewUser(), RedisScaleOutTests.NewUser() };
        var listeners = new List<SseListener>();
        try
        {
            foreach (var server in new[] { a, b })
            {
                foreach (var name in names)
                {
                    listeners.Add(await SseListener.OpenAsync(server.Client, $"/channels/{name}/stream"));
                    await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(server).Channels.Channel(name), 1);
                }
            }

            // Two publishers per instance, one per channel, all at once: the channels' scripts interleave in Redis.
            await Task.WhenAll(
                from server in new[] { a, b }
                from name in names
                select Task.Run(async () =>
                {
                    var channel = ChannelSite.Runtime(server).Channels.Channel(name);
                    for (var n = 1; n <= PerInstance; n++)
                    {
                        await channel.Publish(new { n });
                    }
                }));

            try
            {
                foreach (var listener in listeners)
                {
                    await listener.WaitForMessagesAsync(2 * PerInstance);
                }
            }
            catch (AssertionException)
            {
                // What the instances said, for a run that lost a message.
                foreach (var entry in a.Logs.Entries.Concat(b.Logs.Entries).Where(e => e.Level >= LogLevel.Information))
                {
                    await TestContext.Out.WriteLineAsync($"{entry.Level}: {entry.Message}");
                }

                throw;
            }

            Assert.Multiple(() =>
            {
                foreach (var listener in listeners)
                {
                    Assert.That(listener.Items.Select(i => i.EventId), Is.Unique.And.Ordered.Using<string>(CandyChannelTests.CompareIds), "every message once, in id order");
                }

                Assert.That(a.Logs.Entries.Where(e => e.Message.Contains(Missed, StringComparison.Ordinal)).Select(e => e.Message), Is.Empty, "A saw no gap");
                Assert.That(b.Logs.Entries.Where(e => e.Message.Contains(Missed, StringComparison.Ordinal)).Select(e => e.Message), Is.Empty, "B saw no gap");
            });
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    /// <summary>Counts <c>candypack.channel.gaps</c> by outcome while it lives.</summary>
    private sealed class GapCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _recovered;
        private long _reset;

        public GapCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CandyMetrics.MeterName && instrument.Name == "candypack.channel.gaps")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "outcome", Value: "recovered" })
                    {
                        Interlocked.Add(ref _recovered, value);
                    }
                    else if (tag is { Key: "outcome", Value: "reset" })
                    {
                        Interlocked.Add(ref _reset, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Recovered => Interlocked.Read(ref _recovered);

        public long Reset => Interlocked.Read(ref _reset);

        public void Dispose() => _listener.Dispose();
    }
}
