using System.Net;
using CandyPack.Hosting;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Presence;

/// <summary>
/// With Redis, <c>stream.maxPerUser</c> asks Redis for the user's count when a stream opens: the stream waits for the
/// answer without holding a thread, so a Redis that stalls (SIGSTOP, with long command timeouts) holds up only the
/// streams that are opening, never the rest of the site.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UserStreamLimitRedisWaitTests
{
    /// <summary>Far more than the machine has threads: each open that blocked a thread would starve the thread pool.</summary>
    private const int Opens = 100;

    [Test]
    public async Task RedisStalled_OpeningStreamsWaitForIt_WithoutHoldingThreads_TheSiteStillAnswers()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        var folder = Directory.CreateTempSubdirectory("candy-per-user-wait-").FullName;
        try
        {
            // Commands wait a minute for Redis before they count as an outage: long enough that the opens below are still waiting.
            await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), $$"""
                {
                  "redis": "{{redis.Configuration}},syncTimeout=60000,asyncTimeout=60000",
                  "stream": { "heartbeat": 30, "maxPerUser": 2 }
                }
                """);
            await using var server = await CandyServer.StartAsync(new SiteDefinition(folder, typeof(PresenceSite).Assembly, typeof(PresenceSite).Namespace));
            await using (await OpenAsync(server, UserStreamLimitConcurrencyTests.NewName()))
            {
                // One stream opened while Redis answers: the path works before it stalls.
            }

            List<Task<SseListener>> opening;
            redis.Pause();
            try
            {
                opening = [.. Enumerable.Range(0, Opens).Select(_ => OpenAsync(server, UserStreamLimitConcurrencyTests.NewName()))];
                using var other = await AnsweredAsync(server.Client.GetAsync("/whoami"));

                Assert.Multiple(() =>
                {
                    Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a request that needs no Redis is answered meanwhile");
                    Assert.That(opening.Count(t => t.IsCompleted), Is.Zero, "the streams wait for Redis's count before they start");
                });
            }
            finally
            {
                await redis.ContinueAsync();
            }

            var streams = await Task.WhenAll(opening);
            try
            {
                Assert.That(streams.Select(s => s.Status), Is.All.EqualTo(HttpStatusCode.OK), "each stream opens once Redis has counted it");
            }
            finally
            {
                await Task.WhenAll(streams.Select(s => s.DisposeAsync().AsTask()));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The answer to a request sent while the opens wait; a site whose threads they hold never gives it.</summary>
    private static async Task<HttpResponseMessage> AnsweredAsync(Task<HttpResponseMessage> request)
    {
        try
        {
            return await request.WaitAsync(TimeSpan.FromSeconds(40));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No answer to a request that needs no Redis within 40 s while {Opens} streams waited for Redis: their opens hold the threads.");
            throw;
        }
    }

    private static Task<SseListener> OpenAsync(CandyServer server, string user) =>
        SseListener.OpenAsync(server.Client, "/plain/stream", headers: [new(HeaderAuthentication.Header, user)]);
}
