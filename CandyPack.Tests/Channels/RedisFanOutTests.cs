using System.Net.Sockets;
using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// With Redis on, one channel's fan-out held up by a subscriber (a slow consumer whose cleanup blocks the thread that
/// cuts it) holds up neither publishers nor other channels, and every subscriber still gets each message once, in
/// id order, once it moves on. In process, over real Kestrel sockets and the Redis server that scripts/test.sh starts.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisFanOutTests
{
    /// <summary>Large enough that a client that never reads fills its socket and its queue within a few dozen messages.</summary>
    private static readonly string Padding = new('x', 16 * 1024);

    /// <summary>How long a publish may take before it counts as blocked: Redis answers in milliseconds.</summary>
    private static readonly TimeSpan PublishDeadline = TimeSpan.FromSeconds(20);

    private string _folder = null!;
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // A queue of 32 messages (more than a test publishes while a delivery is held) and no write deadline: a client
        // that stops reading is cut as a slow consumer, by the thread delivering to it, not by the write-deadline timer.
        _folder = Directory.CreateTempSubdirectory("candy-fanout-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_folder, "config.json"), $$"""
            {
              "redis": "{{TestServices.Redis}}",
              "channels": { "history": 1000, "historyAge": 300 },
              "stream": { "queue": 32, "writeTimeout": 0 }
            }
            """);
        _server = await CandyServer.StartAsync(new SiteDefinition(_folder, typeof(ChannelSite).Assembly, typeof(ChannelSite).Namespace));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        BlockingCleanup.Release();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [TearDown]
    public void LetGo() => BlockingCleanup.Release();

    [Test]
    public async Task DeliveryHeldBySubscriber_PublishStillReturns_AndOthersGetEveryMessageOnceInOrder()
    {
        var name = RedisScaleOutTests.NewUser();
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        var (stalled, published) = await HoldDeliveryAsync(name, reader);
        using var socket = stalled;

        // The channel's delivery is stuck in the stalled subscriber's cleanup; publishing on it goes on.
        var ids = new List<string>();
        for (var n = published + 1; n <= published + 5; n++)
        {
            ids.Add(await PublishAsync(name, n));
        }

        Assert.That(ids, Is.Ordered.Using<string>(CandyChannelTests.CompareIds), "ids handed out while the delivery is held still increase");

        BlockingCleanup.Release();
        var total = published + 5;
        await PublishAsync(name, -1);
        if (!await Eventually.TrueAsync(() => Numbers(reader.Items).Contains(-1)))
        {
            Assert.Fail($"The closing message did not arrive; messages received: {string.Join(", ", Numbers(reader.Items))}");
        }

        var items = reader.Items;
        Assert.Multiple(() =>
        {
            Assert.That(
                Numbers(items),
                Is.EqualTo(Enumerable.Range(1, total).Append(-1)),
                "every message once, in publish order");
            Assert.That(items.Select(i => i.EventId!), Is.Ordered.Using<string>(CandyChannelTests.CompareIds));
            Assert.That(items.Select(i => i.EventId), Is.Unique);
        });
    }

    [Test]
    public async Task SubscriberLeavesWhileItsCleanupHoldsTheDelivery_OnceItEnds_TheSubscribersAfterItGetEveryMessage_AndNothingFails()
    {
        var name = RedisScaleOutTests.NewUser();
        await using var before = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(_server).Channels.Channel(name), 1);
        using var stalled = await OpenStalledAsync(name, subscribers: 2);
        await using var after = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(_server).Channels.Channel(name), 3);
        var published = await PublishUntilHeldAsync(name, before, after);

        // The stalled client goes away while its cleanup still holds the delivery, and its request ends.
        // Only the two readers' streams stay open (another test's closing stream can only make the wait longer).
        stalled.Dispose();
        var streams = ChannelSite.Runtime(_server).Streams;
        Assert.That(await Eventually.TrueAsync(() => streams.Count <= 2), Is.True, $"the stalled client's stream did not end; {streams.Count} open");
        BlockingCleanup.Release();
        await PublishAsync(name, -1);

        var expected = Enumerable.Range(1, published).Append(-1).ToList();
        foreach (var reader in new[] { before, after })
        {
            if (!await Eventually.TrueAsync(() => Numbers(reader.Items).Contains(-1)))
            {
                Assert.Fail($"The closing message did not arrive; messages received: {string.Join(", ", Numbers(reader.Items))}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(Numbers(before.Items), Is.EqualTo(expected), "the subscriber before the stalled one: every message once, in order");
            Assert.That(Numbers(after.Items), Is.EqualTo(expected), "the subscriber after the stalled one: every message once, in order");
            Assert.That(
                _server.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains(name, StringComparison.Ordinal)).Select(e => e.Message),
                Is.Empty,
                "nothing failed on the channel");
        });
    }

    [Test]
    public async Task DeliveryHeldBySubscriber_OtherChannelsOnTheInstanceKeepDelivering()
    {
        var name = RedisScaleOutTests.NewUser();
        var other = RedisScaleOutTests.NewUser();
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        await using var otherReader = await SseListener.OpenAsync(_server.Client, $"/channels/{other}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(_server).Channels.Channel(other), 1);
        using var stalled = (await HoldDeliveryAsync(name, reader)).Stalled;

        // Still held: the test lets the cleanup go only when it ends.
        for (var n = 1; n <= 3; n++)
        {
            await PublishAsync(other, n);
        }

        var received = await otherReader.WaitForMessagesAsync(3);
        Assert.That(received.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    /// <summary>
    /// Subscribes a client that never reads, through the route whose cleanup blocks, and publishes until a delivery
    /// has cut it as a slow consumer and is stuck in that cleanup. Returns the stalled client's socket and how many
    /// messages were published.
    /// </summary>
    private async Task<(Socket Stalled, int Published)> HoldDeliveryAsync(string name, SseListener reader)
    {
        var stalled = await OpenStalledAsync(name, subscribers: 2);
        return (stalled, await PublishUntilHeldAsync(name, reader));
    }

    /// <summary>Subscribes a client that never reads through the route whose cleanup blocks, once it is armed.</summary>
    private async Task<Socket> OpenStalledAsync(string name, int subscribers)
    {
        BlockingCleanup.Arm();
        var stalled = await RawHttp.OpenAsync(_server.Address, $"/channels/{name}/blocking-cleanup", receiveBuffer: 4096);
        await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(_server).Channels.Channel(name), subscribers);
        return stalled;
    }

    /// <summary>Publishes until a delivery is stuck in the stalled client's cleanup; the readers keep up. Returns how many were published.</summary>
    private async Task<int> PublishUntilHeldAsync(string name, params SseListener[] readers)
    {
        var n = 0;
        while (!BlockingCleanup.Entered.IsCompleted)
        {
            n++;
            Assert.That(n, Is.LessThanOrEqualTo(500), "500 messages of 16 KiB did not make the client that never reads a slow consumer");
            await PublishAsync(name, n);

            // The readers keep up, so the queue that fills is the stalled client's.
            var published = n;
            if (!await Eventually.TrueAsync(() => readers.All(r => r.Messages.Count >= published) || BlockingCleanup.Entered.IsCompleted))
            {
                Assert.Fail($"A reader did not get message {n}; they have: {string.Join(" / ", readers.Select(r => string.Join(", ", Numbers(r.Items))))}");
            }
        }

        return n;
    }

    private static List<int> Numbers(IEnumerable<System.Net.ServerSentEvents.SseItem<string>> items) =>
        [.. SseReader.Messages(items).Select(CandyChannelTests.Number)];

    private async Task<string> PublishAsync(string name, int n)
    {
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);

        // Off the test's thread: a publish that blocks on a lock would otherwise block the test itself.
        var publish = Task.Run(() => channel.Publish(new { n, padding = Padding }));
        try
        {
            return await publish.WaitAsync(PublishDeadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Publishing message {n} on channel {name} did not return within {PublishDeadline.TotalSeconds} s while a subscriber held the channel's delivery.");
            throw;
        }
    }
}
