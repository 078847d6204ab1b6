using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Presence.PresenceScaleOutTests;

namespace CandyPack.Tests.Presence;

/// <summary>
/// Presence while its Redis server is killed (SIGKILL) and started again on the same data: the list says it cannot be
/// read rather than answering one instance's part, and a user whose stream closed during the outage is not left
/// listed once Redis is back.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PresenceRedisOutageTests
{
    private static readonly (string, string) Grace = ("CANDY_CHANNELS__PRESENCEGRACE", "1");

    [Test]
    public async Task StreamClosedWhileRedisIsDown_IsNotLeftListed_WhenRedisIsBack()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        await using var host = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0, Grace);

        // The list is read on another instance, which knows the host's streams only from Redis.
        await using var reader = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0, Grace);
        var (ann, bob) = (NewName(), NewName());
        await using var bobsStream = await ChatAsync(host, await LoginAsync(host, bob));
        var annsStream = await ChatAsync(host, await LoginAsync(host, ann));
        await WaitForChatAsync(reader, m => m.Count(x => x.UserId == ann || x.UserId == bob) == 2, "ann and bob listed");

        await redis.KillAsync();
        await annsStream.DisposeAsync();
        Assert.That(
            await Eventually.TrueAsync(() => host.CountLines("Redis did not take a closed connection") > 0, TimeSpan.FromSeconds(60)),
            "the instance tried to remove ann's stream while Redis was down: " + host);

        // Redis comes back with the hash it had (its data survives the kill), which still holds ann's stream.
        await redis.StartAgainAsync();

        // Until the reader has reconnected, the list is 503; then ann must be gone.
        List<PresenceMember>? members = null;
        var gone = await Eventually.TrueAsync(
            async () =>
            {
                using var response = await reader.Client.GetAsync("/chat/presence");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    return false;
                }

                members = await response.Content.ReadFromJsonAsync<List<PresenceMember>>(JsonSerializerOptions.Web);
                return members!.All(x => x.UserId != ann);
            },
            TimeSpan.FromSeconds(60));

        Assert.That(gone, $"ann is still listed after Redis came back: {JsonSerializer.Serialize(members)}; {host}; reader {reader}");
        Assert.That(members!.Select(m => m.UserId), Does.Contain(bob), "the open stream stays listed");
    }

    [Test]
    public async Task PresenceList_WhileRedisIsDown_Is503SayingWhy()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        await using var host = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0, Grace);
        await using var stream = await ChatAsync(host, await LoginAsync(host, NewName()));

        await redis.KillAsync();
        using var response = await host.Client.GetAsync("/chat/presence");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("presence of channel 'chat' cannot be read: Redis cannot be reached"));
        });
    }
}
