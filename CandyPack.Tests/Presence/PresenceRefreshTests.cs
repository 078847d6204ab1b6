using CandyPack.Hosting;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static CandyPack.Tests.Presence.PresenceClient;

namespace CandyPack.Tests.Presence;

/// <summary>
/// The renewal of an instance's presence entries in Redis, on a clock the test moves and a private redis-server it
/// freezes (SIGSTOP): a renewal still waiting for Redis is not joined by another one each period; the skip is logged.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PresenceRefreshTests
{
    [Test]
    public async Task RenewalsNeverOverlap_WhileRedisDoesNotAnswer_AndTheSkipIsLogged()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        var folder = Directory.CreateTempSubdirectory("candy-presence-refresh-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), $$"""
            { "redis": "{{redis.Configuration}}", "channels": { "presence": [ "room:*" ], "presenceTimeout": 3 } }
            """);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        try
        {
            await using var server = await CandyServer.StartAsync(clock, new SiteDefinition(folder, typeof(PresenceSite).Assembly, typeof(PresenceSite).Namespace));
            var room = NewRoom();
            await using var ann = await SubscribeAsync(server.Client, room, "ann");
            await WaitForPresenceAsync(server.Client, room, m => m.Any(x => x.UserId == "ann"), "ann's presence");

            // A renewal every second (a third of presenceTimeout): the first one waits on the frozen Redis, the next ones must not start.
            redis.Pause();
            try
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                clock.Advance(TimeSpan.FromSeconds(1));
                clock.Advance(TimeSpan.FromSeconds(1));
                Assert.That(
                    await Eventually.TrueAsync(() => server.Logs.Entries.Any(e => e.Message.Contains("still running", StringComparison.Ordinal))),
                    Is.True,
                    "a renewal that found the last one still running says so: " + string.Join(" | ", server.Logs.Entries.Select(e => e.Message)));
                Assert.That(server.Logs.Entries.Count(e => e.Message.Contains("still running", StringComparison.Ordinal)), Is.EqualTo(1), "one warning, the next skips counted");
            }
            finally
            {
                await redis.ContinueAsync();
            }

            // Once Redis answers, renewals run again and ann stays listed past the timeout.
            for (var i = 0; i < 4; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            await WaitForPresenceAsync(server.Client, room, m => m.Any(x => x.UserId == "ann"), "ann's presence after Redis answers again");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
