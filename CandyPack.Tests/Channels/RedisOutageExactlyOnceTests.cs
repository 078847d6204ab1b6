using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// Two host processes both publish to one channel while their private redis-server is killed (SIGKILL) and
/// paused (SIGSTOP) again and again: every subscriber on both instances receives every message exactly once, a
/// publish never waits for a paused Redis, and a client that resumes on the other instance with an id handed out
/// during an outage receives exactly what it had not seen.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisOutageExactlyOnceTests
{
    private static readonly TimeSpan CatchUpDeadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task RedisKilledAndPausedRepeatedly_BothInstancesDeliverEveryMessageOnce_AndResumeAcrossInstancesIsExact()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        await using var a = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0);
        await using var b = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0);
        var user = RedisScaleOutTests.NewUser();
        await using var onA = await RedisScaleOutTests.SubscribeAsync(a, user);
        await using var onB = await RedisScaleOutTests.SubscribeAsync(b, user);
        await using var publisher = new AlternatingPublisher(a, b, user);
        await publisher.WaitForAsync(10, "publishing before any outage");

        string? idFromOutage = null;
        HashSet<int> seenUpToThatId = [];
        for (var round = 1; round <= 2; round++)
        {
            // SIGKILL: both connections drop, and publishes fail fast.
            await redis.KillAsync();
            var published = await publisher.WaitForAsync(publisher.Count + 12, $"publishing while Redis is dead (round {round})");
            if (idFromOutage is null)
            {
                // The newest message A's subscriber has: published on A during the outage, so its id was given by A alone.
                var fromA = published.Last(n => n % 2 == 1);
                var items = await onA.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(fromA), $"message {fromA} on A during the outage");
                var upTo = items.ToList().FindIndex(i => i.EventType == "message" && CandyChannelTests.Number(i.Data) == fromA);
                idFromOutage = items[upTo].EventId;
                seenUpToThatId = [.. SseReader.Messages(items.Take(upTo + 1)).Select(CandyChannelTests.Number)];
            }

            await redis.StartAgainAsync();
            await publisher.WaitForAsync(publisher.Count + 12, $"publishing after Redis restarted (round {round})");

            // SIGSTOP: the sockets stay open and nothing answers. Publishing goes on while Redis is still frozen: within
            // a deadline under the 5 s a publish used to wait for a paused Redis (the bound itself is 1 s per instance).
            redis.Pause();
            try
            {
                await publisher.WaitForAsync(publisher.Count + 12, $"publishing while Redis is paused (round {round})", TimeSpan.FromSeconds(4.5));
            }
            finally
            {
                await redis.ContinueAsync();
            }

            await publisher.WaitForAsync(publisher.Count + 12, $"publishing after Redis continued (round {round})");
        }

        var all = await publisher.StopAsync();
        await WithHostLogsAsync(() => onA.WaitForAsync(i => SseReader.Messages(i).Count >= all.Count, $"all {all.Count} messages on A", CatchUpDeadline), a, b);
        await WithHostLogsAsync(() => onB.WaitForAsync(i => SseReader.Messages(i).Count >= all.Count, $"all {all.Count} messages on B", CatchUpDeadline), a, b);

        Assert.That(idFromOutage, Is.Not.Null);
        await using var resumedOnB = await RedisScaleOutTests.SubscribeAsync(b, user, idFromOutage);
        var notSeen = all.Except(seenUpToThatId).Order().ToList();
        await resumedOnB.WaitForAsync(i => i.Count >= notSeen.Count, $"the {notSeen.Count} messages after {idFromOutage}", CatchUpDeadline);

        // Anything late (a duplicate, a second copy under another id) has had the whole catch-up to arrive by now.
        await RedisScaleOutTests.PublishAsync(a, user, -1);
        await onA.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(-1), "the closing message on A");
        await onB.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(-1), "the closing message on B");
        await resumedOnB.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(-1), "the closing message on the resumed client");
        var expected = all.Append(-1).Order().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Numbers(onA), Is.EqualTo(expected), "A's subscriber got every message once: " + SseListener.Describe(onA.Items));
            Assert.That(Numbers(onB), Is.EqualTo(expected), "B's subscriber got every message once: " + SseListener.Describe(onB.Items));
            Assert.That(onA.Items.Select(i => i.EventId), Is.Unique, "A gave every message its own id");
            Assert.That(onB.Items.Select(i => i.EventId), Is.Unique, "B gave every message its own id");
            Assert.That(
                Numbers(resumedOnB),
                Is.EqualTo(notSeen.Append(-1).Order().ToList()),
                $"resuming on B after {idFromOutage} gives exactly what A's subscriber had not seen: " + SseListener.Describe(resumedOnB.Items));
            Assert.That(onA.Items.Concat(onB.Items).Concat(resumedOnB.Items).Select(i => i.EventType), Has.All.EqualTo("message"), "no reset");
            Assert.That(
                a.Lines.Concat(b.Lines).Where(l => l.Contains("the Redis subscription missed", StringComparison.Ordinal)),
                Is.Empty,
                "no gap read back: positions follow on through the outages, the catch-ups and the messages they append");
            foreach (var (listener, where) in new[] { (onA, "A"), (onB, "B"), (resumedOnB, "the resumed client on B") })
            {
                var (odd, even) = ByPublisher(listener);
                Assert.That(odd, Is.Ordered, $"{where} got A's messages in the order A published them");
                Assert.That(even, Is.Ordered, $"{where} got B's messages in the order B published them");
            }
        });
    }

    /// <summary>A catch-up that never ends is told with what both instances logged about Redis, which says where it stopped.</summary>
    private static async Task WithHostLogsAsync(Func<Task> wait, HostInstance a, HostInstance b)
    {
        try
        {
            await wait();
        }
        catch (AssertionException)
        {
            static string Log(HostInstance host) =>
                string.Join(Environment.NewLine, host.Lines.Where(l => l.Contains("Redis", StringComparison.Ordinal) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).TakeLast(40));
            Assert.Fail($"Instance A ({a.Address}) logged:{Environment.NewLine}{Log(a)}{Environment.NewLine}Instance B ({b.Address}) logged:{Environment.NewLine}{Log(b)}");
        }
    }

    private static List<int> Numbers(SseListener listener) => [.. listener.Messages.Select(CandyChannelTests.Number).Order()];

    /// <summary>The messages as they arrived, split by publisher: A's odd numbers and B's even ones (the closing -1 left out).</summary>
    private static (List<int> Odd, List<int> Even) ByPublisher(SseListener listener)
    {
        var arrived = listener.Messages.Select(CandyChannelTests.Number).Where(n => n > 0).ToList();
        return ([.. arrived.Where(n => n % 2 == 1)], [.. arrived.Where(n => n % 2 == 0)]);
    }

    /// <summary>Publishes odd numbers on A and even numbers on B, each one after another about 20 a second, until stopped.</summary>
    private sealed class AlternatingPublisher : IAsyncDisposable
    {
        private readonly ConcurrentQueue<int> _published = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public AlternatingPublisher(HostInstance a, HostInstance b, string user) =>
            _loop = Task.WhenAll(RunAsync(a, user, first: 1), RunAsync(b, user, first: 2));

        public int Count => _published.Count;

        /// <summary>Waits until <paramref name="count"/> publishes have succeeded; fails if a publish failed or they stall.</summary>
        public async Task<List<int>> WaitForAsync(int count, string what, TimeSpan? deadline = null)
        {
            if (!await Eventually.TrueAsync(() => _published.Count >= count || _loop.IsCompleted, deadline ?? TimeSpan.FromSeconds(20)))
            {
                Assert.Fail($"Timed out {what}: {_published.Count} of {count} publishes done; a publish is stuck.");
            }

            if (_loop.IsFaulted)
            {
                await _loop;
            }

            return [.. _published];
        }

        public async Task<List<int>> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return [.. _published];
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is AssertionException or HttpRequestException)
            {
                // Already reported by WaitForAsync or StopAsync.
            }

            _stop.Dispose();
        }

        private async Task RunAsync(HostInstance host, string user, int first)
        {
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            for (var n = first; !_stop.IsCancellationRequested; n += 2)
            {
                using var response = await host.Client.PostAsJsonAsync($"/notifications/user/{user}", new { n });
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"publishing {n} on {host.Address}: {await response.Content.ReadAsStringAsync()}");
                _published.Enqueue(n);
                try
                {
                    await pace.WaitForNextTickAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
