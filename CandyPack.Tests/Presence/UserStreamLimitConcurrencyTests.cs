using System.Net;
using CandyPack.Hosting;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Presence;

/// <summary>
/// Fifty streams of one user opened at once, over fifty connections, many times over, with <c>stream.maxPerUser</c> 2: on one instance in
/// memory, and spread over two instances sharing Redis. Refusing, exactly two open and the rest get 429; closing the
/// oldest, all open and exactly two are left, every other closed once with the documented ending.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserStreamLimitConcurrencyTests
{
    private const int Opens = 50;
    private const int Max = 2;

    private const string ClosedMessage = "This stream was closed: a newer stream of the same user took its place (stream.maxPerUser is 2).";

    [TestCase(false)]
    [TestCase(true)]
    public async Task FiftyAtOnce_Reject_ExactlyTwoOpen_TheRestRefusedWith429(bool redis)
    {
        for (var round = 1; round <= Rounds(redis); round++)
        {
            await using var sites = await LimitedSites.StartAsync(redis, MaxPerUserPolicy.Reject);
            await RejectRoundAsync(sites, round);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task FiftyAtOnce_CloseOldest_AllOpen_ExactlyTwoLeft_EveryOtherClosedOnceWithTheDocumentedEnding(bool redis)
    {
        for (var round = 1; round <= Rounds(redis); round++)
        {
            await using var sites = await LimitedSites.StartAsync(redis, MaxPerUserPolicy.CloseOldest);
            await CloseOldestRoundAsync(sites, round);
        }
    }

    private static async Task RejectRoundAsync(LimitedSites sites, int round)
    {
        var (user, room) = (NewName(), NewName());
        var streams = await OpenAtOnceAsync(sites, user, room);
        try
        {
            var open = streams.Where(s => s.Status == HttpStatusCode.OK).ToList();
            var refused = streams.Where(s => s.Status == HttpStatusCode.TooManyRequests).ToList();
            var bodies = await Task.WhenAll(refused.Select(s => s.ReadRefusalAsync()));
            Assert.Multiple(() =>
            {
                Assert.That(open, Has.Count.EqualTo(Max), $"round {round}: {Statuses(streams)}");
                Assert.That(refused, Has.Count.EqualTo(Opens - Max), $"round {round}: {Statuses(streams)}");
                Assert.That(refused.Select(s => s.Headers.RetryAfter?.Delta), Is.All.EqualTo(TimeSpan.FromSeconds(5)), "every refusal says when to retry");
                Assert.That(bodies, Is.All.Contains("stream.maxPerUser"));
            });

            await AssertOpenAsync(sites, room, open);
        }
        finally
        {
            await Task.WhenAll(streams.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static async Task CloseOldestRoundAsync(LimitedSites sites, int round)
    {
        var (user, room) = (NewName(), NewName());
        var streams = await OpenAtOnceAsync(sites, user, room);
        try
        {
            Assert.That(streams.Select(s => s.Status), Is.All.EqualTo(HttpStatusCode.OK), $"round {round}: {Statuses(streams)}");

            // Every newer stream closes one older one: all but two end, on whichever instance they are.
            if (!await Eventually.TrueAsync(() => streams.Count(s => s.Completion.IsCompleted) >= Opens - Max, TimeSpan.FromSeconds(60)))
            {
                Assert.Fail($"Round {round}: {streams.Count(s => s.Completion.IsCompleted)} of {Opens} streams closed, expected {Opens - Max}: more than stream.maxPerUser stayed open");
            }

            var closed = streams.Where(s => s.Completion.IsCompleted).ToList();
            var left = streams.Where(s => !s.Completion.IsCompleted).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(left, Has.Count.EqualTo(Max), $"round {round}: streams left open");
                foreach (var stream in closed)
                {
                    // The error message once, then end: the client does not reconnect; a stream closed twice would say it twice.
                    Assert.That(
                        stream.Items.Select(i => $"{i.EventType}:{i.Data}"),
                        Is.EqualTo(new[] { $"message:{{\"error\":\"{ClosedMessage}\"}}", "end:" }),
                        $"round {round}: {SseListener.Describe(stream.Items)}");
                    Assert.That(stream.Completion.IsCompletedSuccessfully, Is.True, "the server ended the response");
                }
            });

            await AssertOpenAsync(sites, room, left);
            Assert.That(streams.Count(s => s.Completion.IsCompleted), Is.EqualTo(Opens - Max), $"round {round}: no stream closed after the last one opened");
        }
        finally
        {
            await Task.WhenAll(streams.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// Rounds per test, each on servers just started: two opens interleave at just the wrong moment in few rounds, more
    /// often while the server is new. In memory a round takes a fraction of a second; with Redis, two servers start.
    /// </summary>
    private static int Rounds(bool redis) => redis ? 5 : 40;

    internal static string NewName() => "u" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Opens <see cref="Opens"/> streams of <paramref name="user"/> on <paramref name="room"/>, all at once, alternating between the instances.</summary>
    private static async Task<List<SseListener>> OpenAtOnceAsync(LimitedSites sites, string user, string room)
    {
        using var start = new SemaphoreSlim(0);
        var opening = Enumerable.Range(0, Opens).Select(async i =>
        {
            await start.WaitAsync();
            var client = sites.Servers[i % sites.Servers.Count].Client;
            return await SseListener.OpenAsync(client, $"/rooms/{room}/stream", headers: [new(HeaderAuthentication.Header, user)]);
        }).ToList();
        start.Release(Opens);
        try
        {
            return [.. await Task.WhenAll(opening)];
        }
        catch (Exception)
        {
            // A connection that failed for any other reason fails the test, naming every failure.
            var failures = opening.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.Message).ToList();
            await Task.WhenAll(opening.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.DisposeAsync().AsTask()));
            Assert.Fail($"{failures.Count} of {Opens} opens failed: {string.Join("; ", failures.Distinct())}");
            throw;
        }
    }

    /// <summary>The streams counted as open are open: each receives a message published after all opened.</summary>
    private static async Task AssertOpenAsync(LimitedSites sites, string room, List<SseListener> open)
    {
        var text = "alive-" + Guid.NewGuid().ToString("N")[..6];
        using var published = await sites.Servers[0].Client.PostAsync($"/rooms/{room}?text={text}", null);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        foreach (var stream in open)
        {
            await stream.WaitForAsync(items => items.Any(i => i.Data.Contains(text, StringComparison.Ordinal)), "the message published after the opens");
        }
    }

    private static string Statuses(IEnumerable<SseListener> streams) =>
        string.Join(", ", streams.GroupBy(s => s.Status).Select(g => $"{g.Count()} × {(int)g.Key}"));

    /// <summary>The presence site with <c>stream.maxPerUser</c> 2: one instance in memory, or two sharing Redis.</summary>
    private sealed class LimitedSites : IAsyncDisposable
    {
        private readonly string _folder;

        private LimitedSites(string folder, List<CandyServer> servers)
        {
            _folder = folder;
            Servers = servers;
        }

        public List<CandyServer> Servers { get; }

        public static async Task<LimitedSites> StartAsync(bool redis, MaxPerUserPolicy policy)
        {
            var folder = Directory.CreateTempSubdirectory("candy-per-user-").FullName;
            var shared = redis ? $"\"redis\": \"{TestServices.Redis}\"," : string.Empty;
            await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), $$"""
                {
                  {{shared}}
                  "channels": { "presence": [ "room:*" ] },
                  "stream": { "heartbeat": 30, "maxPerUser": {{Max}}, "maxPerUserPolicy": "{{policy}}" }
                }
                """);
            var definition = new SiteDefinition(folder, typeof(PresenceSite).Assembly, typeof(PresenceSite).Namespace);
            var servers = new List<CandyServer> { await CandyServer.StartAsync(definition) };
            if (redis)
            {
                servers.Add(await CandyServer.StartAsync(definition));
            }

            return new LimitedSites(folder, servers);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var server in Servers)
            {
                await server.DisposeAsync();
            }

            Directory.Delete(_folder, recursive: true);
        }
    }
}
