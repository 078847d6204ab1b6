using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.Channels;

/// <summary>
/// After a reconnect the Redis client resubscribes by itself without waiting for Redis to confirm, so a Redis that
/// fails again meanwhile can leave it without the subscription while it believes it holds it. That loss happens inside
/// the client and cannot be caused from outside: the test simulates it by removing the backplane's subscription behind
/// its back, then kills Redis. Two in-process instances of one site share a private redis-server.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisSubscriptionLossTests
{
    [Test]
    public async Task SubscriptionLostInsideTheRedisClient_Simulated_TheCatchUpSubscribesAgain_AndTheOtherInstancesMessagesArrive()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        var folder = Directory.CreateTempSubdirectory("candy-subscription-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), $$"""{ "redis": "{{redis.Configuration}}" }""");
            var site = new SiteDefinition(folder, typeof(ChannelSite).Assembly, typeof(ChannelSite).Namespace);
            await using var a = await CandyServer.StartAsync(site);
            await using var b = await CandyServer.StartAsync(site);
            var name = RedisScaleOutTests.NewUser();
            await using var onA = await SseListener.OpenAsync(a.Client, $"/channels/{name}/stream");
            await CandyChannelTests.WaitForSubscribersAsync(ChannelSite.Runtime(a).Channels.Channel(name), 1);
            await ChannelSite.Runtime(b).Channels.Channel(name).Publish(new { n = 1 });
            await onA.WaitForMessagesAsync(1);

            var backplane = ChannelSite.Runtime(a).Channels.Redis!;
            await backplane.Subscriber.UnsubscribeAsync(backplane.PubSubChannel);
            await redis.KillAsync();
            await redis.StartAgainAsync();

            // B shares the message once it is back itself; A hears it live or reads it when it catches up.
            await ChannelSite.Runtime(b).Channels.Channel(name).Publish(new { n = 2 });
            var received = await onA.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30));
            Assert.Multiple(() =>
            {
                Assert.That(received.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2 }), "A got what B published after the outage, once");
                Assert.That(a.Logs.Contains(LogLevel.Warning, "the subscription did not hear its probe and was made again"), Is.True, "A says it subscribed again");
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
