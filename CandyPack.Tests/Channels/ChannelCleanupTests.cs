using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// A subscriber that a publish ends (cut as a slow consumer, or too far behind while its missed messages are replayed)
/// runs its cleanups off the publisher's thread: a cleanup that blocks holds up neither that publish nor the other
/// subscribers. In process, over real Kestrel sockets; the blocking cleanup waits on a gate the test opens only at the end.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ChannelCleanupTests
{
    /// <summary>Large enough that a client that never reads fills its socket and its queue within a few dozen messages.</summary>
    private static readonly string Padding = new('x', 16 * 1024);

    /// <summary>Only a bound on a publish that hangs (the blocking cleanup waits two minutes): Publish answers in microseconds.</summary>
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(30);

    private string _folder = null!;
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // A queue of 32 messages and no write deadline or heartbeat: a client that stops reading is ended by a publish
        // (a slow-consumer cut, or a replay overflow past the 1,000-message history), never by a timer.
        _folder = Directory.CreateTempSubdirectory("candy-cleanup-").FullName;
        await File.WriteAllTextAsync(
            Path.Combine(_folder, "config.json"),
            """{ "stream": { "queue": 32, "writeTimeout": 0, "heartbeat": 0 }, "channels": { "history": 1000, "historyAge": 300 } }""");
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

    /// <param name="route">The subscription's cleanup: a registration on its CancellationToken, or an <c>On("close")</c> handler.</param>
    [TestCase("blocking-cleanup")]
    [TestCase("blocking-close")]
    public async Task SlowConsumerCut_WhoseCleanupBlocks_PublishReturns_AndTheOthersKeepReceiving(string route)
    {
        var name = "cleanup-" + Guid.NewGuid().ToString("N");
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        BlockingCleanup.Arm();
        using var stalled = await RawHttp.OpenAsync(_server.Address, $"/channels/{name}/{route}", receiveBuffer: 4096);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 2);

        // Each publish must return although the cut it makes starts a cleanup that blocks until the test ends.
        var n = 0;
        while (!BlockingCleanup.Entered.IsCompleted)
        {
            n++;
            Assert.That(n, Is.LessThanOrEqualTo(500), "500 messages of 16 KiB did not make the client that never reads a slow consumer");
            await PublishAsync(channel, n);
            var published = n;
            Assert.That(
                await Eventually.TrueAsync(() => reader.Messages.Count >= published || BlockingCleanup.Entered.IsCompleted),
                Is.True,
                $"the reader did not get message {n}");
        }

        // The cleanup is blocked now, and stays blocked: the other subscriber is served meanwhile.
        for (var more = 1; more <= 5; more++)
        {
            await PublishAsync(channel, n + more);
        }

        var received = await reader.WaitForMessagesAsync(n + 5);
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(CandyChannelTests.Number), Is.EqualTo(Enumerable.Range(1, n + 5)), "the reader got every message once, in order");
            Assert.That(_server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "slow consumer"), Is.True, "the cut was a slow-consumer cut");
        });
    }

    [Test]
    public async Task ReplayOverflow_WhoseCleanupBlocks_PublishReturns_AndTheOthersKeepReceiving()
    {
        var name = "cleanup-" + Guid.NewGuid().ToString("N");
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        var first = await channel.Publish(new { n = 0, padding = Padding });
        for (var n = 1; n < 400; n++)
        {
            await channel.Publish(new { n, padding = Padding });
        }

        // Resumes from the first message and never reads: the 6 MB replay stalls, so live messages are held back for it.
        BlockingCleanup.Arm();
        using var stalled = await RawHttp.OpenAsync(_server.Address, $"/channels/{name}/blocking-cleanup?lastEventId={Uri.EscapeDataString(first)}", receiveBuffer: 4096);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(channel, 2);

        // More than the 1,000 the replaying subscriber may hold back: one of these publishes ends it for a reconnect.
        var live = 0;
        while (!BlockingCleanup.Entered.IsCompleted)
        {
            live++;
            Assert.That(live, Is.LessThanOrEqualTo(2000), "2,000 live messages did not overflow the stalled replay");
            await PublishAsync(channel, 1000 + live, small: true);
        }

        for (var more = 1; more <= 5; more++)
        {
            await PublishAsync(channel, 1000 + live + more, small: true);
        }

        var received = await reader.WaitForMessagesAsync(live + 5);
        Assert.That(received.Select(CandyChannelTests.Number), Is.EqualTo(Enumerable.Range(1001, live + 5)), "the reader got every live message once, in order, while the cleanup blocked");
    }

    /// <summary>Publishes off the test's thread; fails when the publish has not returned (it runs a cleanup that blocks).</summary>
    private static async Task PublishAsync(CandyChannel channel, int n, bool small = false)
    {
        var publish = Task.Run(() => small ? channel.Publish(new { n }) : channel.Publish(new { n, padding = Padding }));
        if (await Task.WhenAny(publish, Task.Delay(Hung)) != publish)
        {
            Assert.Fail($"Publishing message {n} did not return while a subscriber's cleanup blocked: the publish ran that cleanup.");
        }

        await publish;
    }
}
