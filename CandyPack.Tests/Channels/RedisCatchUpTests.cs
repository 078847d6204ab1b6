using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Tests.Channels;

/// <summary>
/// A channel published to thousands of times a second while its private redis-server is killed (SIGKILL) and started
/// again on its append-only file: publishing works again as soon as Redis is back (not once the whole outbox is
/// shared), the catch-up ends, a quiet channel catches up without waiting for the busy one, every acknowledged
/// message reaches the subscriber once and in each publisher's order, and a full outbox answers 503 with
/// <c>Retry-After</c>. In process, over real Kestrel sockets.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisCatchUpTests
{
    /// <summary>The attempted rate, over all publishers.</summary>
    private const int PublishesPerSecond = 5000;

    private const int Publishers = 4;

    /// <summary>Generous: on a loaded machine the first publish after Redis's return may take a few seconds; one that waits for a livelocked catch-up never succeeds.</summary>
    private static readonly TimeSpan BackDeadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task BusyChannelThroughAnOutage_PublishingResumesOnReturn_EveryChannelCatchesUp_NothingLostOrDoubled_FullOutboxAnswers503()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        var folder = Directory.CreateTempSubdirectory("candy-catchup-").FullName;

        // History above what the outage can produce, so the catch-up never has to reset a subscriber.
        await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), $$"""
            {
              "redis": "{{redis.Configuration}}",
              "channels": { "history": 200000, "historyAge": 0 },
              "stream": { "queue": 200000, "writeTimeout": 0 }
            }
            """);
        await using var server = await CandyServer.StartAsync(new SiteDefinition(folder, typeof(ChannelSite).Assembly, typeof(ChannelSite).Namespace));
        try
        {
            var channels = ChannelSite.Runtime(server).Channels;
            var (busy, quiet) = (RedisScaleOutTests.NewUser(), RedisScaleOutTests.NewUser());
            await using var onBusy = await SseListener.OpenAsync(server.Client, $"/channels/{busy}/stream");
            await using var onQuiet = await SseListener.OpenAsync(server.Client, $"/channels/{quiet}/stream");
            await CandyChannelTests.WaitForSubscribersAsync(channels.Channel(busy), 1);
            await CandyChannelTests.WaitForSubscribersAsync(channels.Channel(quiet), 1);
            var quietNumbers = new List<int> { 1 };
            await channels.Channel(quiet).Publish(new { n = 1 });

            await using var publisher = new BusyPublisher(channels.Channel(busy), Publishers, PublishesPerSecond);
            await publisher.WaitForAcknowledgedAsync(500, "publishing before the outage");

            await redis.KillAsync();
            await channels.Channel(quiet).Publish(new { n = 2 });
            quietNumbers.Add(2);
            await publisher.WaitForRefusedAsync("the outbox filling during the outage");
            using var refused = await server.Client.PostAsJsonAsync($"/channels/{busy}", new { n = -2 });
            var refusedStatus = refused.StatusCode;
            var retryAfter = refused.Headers.RetryAfter;

            await redis.StartAgainAsync();
            var back = Stopwatch.StartNew();
            var backAt = Stopwatch.GetTimestamp();
            var acknowledgedAtReturn = publisher.Acknowledged;
            await publisher.WaitForAcknowledgedAsync(acknowledgedAtReturn + 1, "a publish after Redis came back", BackDeadline);
            var firstPublishBack = back.Elapsed;

            // The quiet channel shares again (its publishes get plain Redis ids) while the busy one keeps publishing.
            var n = 2;
            var quietShared = await Eventually.TrueAsync(
                async () =>
                {
                    var id = await channels.Channel(quiet).Publish(new { n = ++n });
                    quietNumbers.Add(n);
                    return !id.Contains('.', StringComparison.Ordinal);
                },
                BackDeadline,
                TimeSpan.FromMilliseconds(100));
            var quietBack = back.Elapsed;
            Assert.That(publisher.IsRunning, Is.True, "the busy channel was still publishing while the quiet one caught up");

            await publisher.WaitForAcknowledgedAsync(publisher.Acknowledged + 1000, "publishing after the return", BackDeadline);
            var (acknowledged, refusedCount) = await publisher.StopAsync();
            var firstAcknowledgedBack = publisher.FirstAcknowledgedAfter(backAt);
            var refusedWhileBack = publisher.RefusedStartedAfter(firstAcknowledgedBack);
            var caughtUp = await Eventually.TrueAsync(() => server.Logs.Entries.Any(e => e.Message.Contains("Redis backplane of site", StringComparison.Ordinal) && e.Message.Contains("is back", StringComparison.Ordinal)), BackDeadline);
            TestContext.Out.WriteLine(
                $"{acknowledged.Sum(a => a.Count)} acknowledged, {refusedCount} refused ({refusedWhileBack} after publishing worked again); first publish {firstPublishBack.TotalMilliseconds:0} ms after Redis answered, quiet channel shared after {quietBack.TotalMilliseconds:0} ms");
            TestContext.Out.WriteLine(server.Logs.Entries.LastOrDefault(e => e.Message.Contains("is back", StringComparison.Ordinal)).Message);

            await channels.Channel(busy).Publish(new { n = -1 });
            await channels.Channel(quiet).Publish(new { n = -1 });
            await onBusy.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(-1), "the closing message on the busy channel", BackDeadline);
            await onQuiet.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(-1), "the closing message on the quiet channel", BackDeadline);

            var received = SseReader.Messages(onBusy.Items).Select(CandyChannelTests.Number).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(refusedStatus, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "a publish refused for a full outbox");
                Assert.That(retryAfter, Is.Not.Null, "the 503 says when to come back");
                Assert.That(refusedWhileBack, Is.Zero, "once a publish succeeded after Redis came back, none started later was refused while the outbox drained");
                Assert.That(quietShared, Is.True, "the quiet channel caught up while the busy one was publishing");
                Assert.That(caughtUp, Is.True, "the catch-up ended: " + string.Join(Environment.NewLine, server.Logs.Entries.Select(e => e.Message).Where(m => m.Contains("Redis", StringComparison.Ordinal)).TakeLast(20)));
                Assert.That(received, Is.Unique, "no message twice");
                Assert.That(received.Where(r => r >= 0).Order(), Is.EqualTo(acknowledged.SelectMany(a => a).Order()), "every acknowledged message, and nothing refused");
                for (var p = 0; p < Publishers; p++)
                {
                    var own = p;
                    Assert.That(received.Where(r => r > 0 && r % Publishers == own), Is.EqualTo(acknowledged[p]), $"publisher {p}'s messages in its order");
                }

                Assert.That(SseReader.Messages(onQuiet.Items).Select(CandyChannelTests.Number), Is.EqualTo(quietNumbers.Append(-1)), "the quiet channel: every message once, in order");
                Assert.That(onBusy.Items.Concat(onQuiet.Items).Select(i => i.EventType), Has.All.EqualTo("message"), "no reset");
                Assert.That(
                    server.Logs.Entries.Select(e => e.Message).Where(m => m.Contains("the Redis subscription missed", StringComparison.Ordinal)),
                    Is.Empty,
                    "no gap read back: the outbox's appends and the publishes behind them follow on");
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Publishers that each publish one message after another, numbered <c>k × publishers + own index</c>, together
    /// at most about <c>rate</c> a second; a publish refused for a full outbox is counted, never retried.
    /// </summary>
    private sealed class BusyPublisher : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<int>[] _acknowledged;
        private readonly Task _loop;
        private readonly System.Collections.Concurrent.ConcurrentQueue<long> _acknowledgedAt = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<long> _refusedStartedAt = new();
        private int _acknowledgedCount;
        private int _refused;

        public BusyPublisher(CandyChannel channel, int publishers, int rate)
        {
            _acknowledged = [.. Enumerable.Range(0, publishers).Select(_ => new List<int>())];
            var clock = Stopwatch.StartNew();
            _loop = Task.WhenAll(Enumerable.Range(0, publishers).Select(p => Task.Run(() => RunAsync(channel, p, publishers, rate / (double)publishers, clock))));
        }

        public int Acknowledged => Volatile.Read(ref _acknowledgedCount);

        public bool IsRunning => !_loop.IsCompleted;

        /// <summary>When the first publish acknowledged after <paramref name="timestamp"/> returned (a <see cref="Stopwatch"/> timestamp).</summary>
        public long FirstAcknowledgedAfter(long timestamp) => _acknowledgedAt.Where(t => t > timestamp).DefaultIfEmpty(long.MaxValue).Min();

        /// <summary>How many refused publishes had started after <paramref name="timestamp"/>.</summary>
        public int RefusedStartedAfter(long timestamp) => _refusedStartedAt.Count(t => t > timestamp);

        public async Task WaitForAcknowledgedAsync(int count, string what, TimeSpan? deadline = null)
        {
            var reached = await Eventually.TrueAsync(() => Acknowledged >= count || _loop.IsCompleted, deadline);
            if (_loop.IsFaulted)
            {
                await _loop;
            }

            Assert.That(reached && Acknowledged >= count, Is.True, $"Timed out {what}: {Acknowledged} of {count} publishes acknowledged, {Volatile.Read(ref _refused)} refused");
        }

        public async Task WaitForRefusedAsync(string what)
        {
            var reached = await Eventually.TrueAsync(() => Volatile.Read(ref _refused) > 0 || _loop.IsCompleted, TimeSpan.FromSeconds(60));
            if (_loop.IsFaulted)
            {
                await _loop;
            }

            Assert.That(reached, Is.True, $"Timed out waiting for {what}: {Acknowledged} acknowledged");
        }

        public async Task<(List<int>[] Acknowledged, int Refused)> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return (_acknowledged, Volatile.Read(ref _refused));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is AssertionException)
            {
                // Already reported by a wait.
            }

            _stop.Dispose();
        }

        private async Task RunAsync(CandyChannel channel, int own, int publishers, double rate, Stopwatch clock)
        {
            for (var k = 1; !_stop.IsCancellationRequested; k++)
            {
                // Paced, not flooding: ahead of the rate, the publisher waits a moment.
                while (k > clock.Elapsed.TotalSeconds * rate && !_stop.IsCancellationRequested)
                {
                    await Task.Delay(1);
                }

                var n = (k * publishers) + own;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await channel.Publish(new { n });
                }
                catch (Exception e) when (e is BadHttpRequestException or InvalidOperationException)
                {
                    // Refused (the outbox is full): not acknowledged, so it must never be delivered.
                    _refusedStartedAt.Enqueue(started);
                    Interlocked.Increment(ref _refused);
                    continue;
                }

                _acknowledgedAt.Enqueue(Stopwatch.GetTimestamp());
                _acknowledged[own].Add(n);
                Interlocked.Increment(ref _acknowledgedCount);
            }
        }
    }
}
