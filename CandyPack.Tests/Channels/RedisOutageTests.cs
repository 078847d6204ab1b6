using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// A private redis-server, killed with SIGKILL and started again while two host instances use it: local delivery
/// goes on, the outage is logged once, and when Redis is back every instance catches up without duplicates.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisOutageTests
{
    [Test]
    public async Task RedisKilledAndRestarted_LocalDeliveryContinues_ThenEveryoneCatchesUp()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        await using var a = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0);
        await using var b = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0);
        var user = RedisScaleOutTests.NewUser();
        await using var onA = await RedisScaleOutTests.SubscribeAsync(a, user);
        await using var onB = await RedisScaleOutTests.SubscribeAsync(b, user);

        await RedisScaleOutTests.PublishAsync(b, user, 1);
        await onA.WaitForMessagesAsync(1);
        await onB.WaitForMessagesAsync(1);

        await redis.KillAsync();
        await RedisScaleOutTests.PublishAsync(a, user, 2);
        await RedisScaleOutTests.PublishAsync(a, user, 3);

        Assert.That((await onA.WaitForMessagesAsync(3)).Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2, 3 }), "instance A still delivers locally");
        await Eventually.TrueAsync(() => a.CountLines("Redis backplane of site ExampleSite unreachable") > 0);
        Assert.That(a.CountLines("Redis backplane of site ExampleSite unreachable"), Is.EqualTo(1), "the outage is logged once: " + a);

        await redis.StartAgainAsync();

        // A shares what it published meanwhile; B catches up from the stream or hears it live.
        await onB.WaitForMessagesAsync(3, TimeSpan.FromSeconds(60));
        await RedisScaleOutTests.PublishAsync(b, user, 4);
        await onA.WaitForMessagesAsync(4, TimeSpan.FromSeconds(60));
        await onB.WaitForMessagesAsync(4, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => a.CountLines("Redis backplane of site ExampleSite is back") > 0);

        Assert.Multiple(() =>
        {
            Assert.That(onA.Messages.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2, 3, 4 }));
            Assert.That(onB.Messages.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2, 3, 4 }), "B got everything once, A's in A's order, before its own publish that followed them");
            Assert.That(a.CountLines("unreachable"), Is.EqualTo(1), "still logged once");
            Assert.That(a.CountLines("Redis backplane of site ExampleSite is back"), Is.GreaterThanOrEqualTo(1), a.ToString());
        });
    }

    [Test]
    public async Task RedisDownAtStartup_InstanceServesLocally_ThenJoinsWhenRedisComes()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        await redis.KillAsync();
        await using var a = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0);
        var user = RedisScaleOutTests.NewUser();
        await using var onA = await RedisScaleOutTests.SubscribeAsync(a, user);

        await RedisScaleOutTests.PublishAsync(a, user, 1);
        await onA.WaitForMessagesAsync(1);
        Assert.That(a.CountLines("unreachable"), Is.EqualTo(1), a.ToString());

        await redis.StartAgainAsync();
        await using var b = await RedisScaleOutTests.StartHostAsync(redis.Configuration, 0);
        await using var onB = await RedisScaleOutTests.SubscribeAsync(b, user);

        // Once A is connected, what it publishes reaches B; until then it goes to A's outbox, appended on reconnect.
        await RedisScaleOutTests.PublishAsync(a, user, 2);
        await onB.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(2), "message 2 on B", TimeSpan.FromSeconds(60));
        await RedisScaleOutTests.PublishAsync(b, user, 3);
        await onA.WaitForMessagesAsync(3, TimeSpan.FromSeconds(60));

        Assert.That(onA.Messages.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2, 3 }));
    }
}
