using System.Net;
using System.Net.Http.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// Two CandyPack.Host processes serving the example site share the Redis server that scripts/test.sh starts: a
/// message published on one reaches subscribers of both, and a client whose instance dies resumes on the other.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisScaleOutTests
{
    [Test]
    public async Task Publish_OnOneInstance_ReachesSubscribersOfBoth()
    {
        await using var a = await StartHostAsync();
        await using var b = await StartHostAsync();
        var user = NewUser();
        await using var onA = await SubscribeAsync(a, user);
        await using var onB = await SubscribeAsync(b, user);

        var id = await PublishAsync(b, user, 1);

        var fromA = await onA.WaitForAsync(i => i.Count >= 1, "the message on instance A");
        var fromB = await onB.WaitForAsync(i => i.Count >= 1, "the message on instance B");
        Assert.Multiple(() =>
        {
            Assert.That(CandyChannelTests.Number(fromA[0].Data), Is.EqualTo(1));
            Assert.That(fromA[0].EventId, Is.EqualTo(id), "one id for the message, given by the shared stream");
            Assert.That(fromB[0].EventId, Is.EqualTo(id));
        });
    }

    [Test]
    public async Task ConcurrentPublishers_OnBothInstances_EverySubscriberSeesOneOrder()
    {
        await using var a = await StartHostAsync();
        await using var b = await StartHostAsync();
        var user = NewUser();
        await using var onA = await SubscribeAsync(a, user);
        await using var onB = await SubscribeAsync(b, user);

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var n = 1; n <= 40; n++)
                {
                    await PublishAsync(a, user, n);
                }
            }),
            Task.Run(async () =>
            {
                for (var n = 101; n <= 140; n++)
                {
                    await PublishAsync(b, user, n);
                }
            }));

        var seenOnA = await onA.WaitForMessagesAsync(80);
        await onB.WaitForMessagesAsync(80);
        Assert.Multiple(() =>
        {
            Assert.That(onB.Items.Select(i => i.EventId), Is.EqualTo(onA.Items.Select(i => i.EventId)), "the same messages in the same order on both");
            Assert.That(onA.Items.Select(i => i.EventId!), Is.Ordered.Using<string>(CandyChannelTests.CompareIds), "ids increase");
            Assert.That(seenOnA.Select(CandyChannelTests.Number).Order(), Is.EqualTo(Enumerable.Range(1, 40).Concat(Enumerable.Range(101, 40))));
        });
    }

    [Test]
    public async Task InstanceKilled_ClientResumesOnTheOther_LosingNothing()
    {
        var a = await StartHostAsync();
        await using var b = await StartHostAsync();
        var user = NewUser();
        var received = new List<int>();
        string lastId;
        await using (var onA = await SubscribeAsync(a, user))
        {
            for (var n = 1; n <= 3; n++)
            {
                await PublishAsync(a, user, n);
            }

            var items = await onA.WaitForAsync(i => i.Count >= 3, "three messages on A");
            received.AddRange(items.Select(i => CandyChannelTests.Number(i.Data)));
            lastId = items[^1].EventId!;

            await a.KillAsync();
            await a.DisposeAsync();
        }

        // Published while the client has no connection at all.
        for (var n = 4; n <= 6; n++)
        {
            await PublishAsync(b, user, n);
        }

        await using var onB = await SubscribeAsync(b, user, lastId);
        await PublishAsync(b, user, 7);
        var resumed = await onB.WaitForAsync(i => i.Count >= 4, "the missed messages, then the live one");
        received.AddRange(resumed.Select(i => CandyChannelTests.Number(i.Data)));

        Assert.That(resumed.Select(i => i.EventType), Has.All.EqualTo("message"), "no reset: the shared history reaches back");
        Assert.That(received, Is.EqualTo(Enumerable.Range(1, 7).ToList()));
    }

    [Test]
    public async Task Resume_IdTrimmedFromSharedHistory_GetsReset()
    {
        await using var a = await StartHostAsync(("CANDY_CHANNELS__HISTORY", "3"));
        var user = NewUser();
        var first = await PublishAsync(a, user, 1);
        for (var n = 2; n <= 5; n++)
        {
            await PublishAsync(a, user, n);
        }

        await using var listener = await SubscribeAsync(a, user, first);

        var items = await listener.WaitForAsync(i => i.Count >= 1, "a reset");
        Assert.That(items[0].EventType, Is.EqualTo("reset"));
    }

    internal static string NewUser() => "u" + Guid.NewGuid().ToString("N");

    internal static Task<HostInstance> StartHostAsync(params (string Name, string Value)[] settings) =>
        StartHostAsync(TestServices.Redis, 0, settings);

    internal static Task<HostInstance> StartHostAsync(string redis, int port, params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string> { ["CANDY_REDIS"] = redis };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return HostInstance.StartAsync(Repository.ExampleSite, port, environment);
    }

    internal static async Task<SseListener> SubscribeAsync(HostInstance host, string user, string? lastEventId = null)
    {
        var listener = await SseListener.OpenAsync(host.Client, $"/notifications/user/{user}/stream", lastEventId, cookie: "user=" + user);
        Assert.That(listener.Status, Is.EqualTo(HttpStatusCode.OK), $"subscribing on {host.Address}");
        return listener;
    }

    internal static async Task<string> PublishAsync(HostInstance host, string user, int n)
    {
        using var response = await host.Client.PostAsJsonAsync($"/notifications/user/{user}", new { n });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"publishing on {host.Address}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<PublishResult>())!.Id;
    }

    private sealed record PublishResult(string Id);
}
