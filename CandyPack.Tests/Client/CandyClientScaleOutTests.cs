using CandyPack.Client;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Client.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Client.ClientReading;

namespace CandyPack.Tests.Client;

/// <summary>
/// <see cref="CandyClient"/> against two instances of a site that share the Redis server scripts/test.sh starts, on
/// each transport: what is published on one reaches a client of the other with the same id, and a client that comes
/// back to the other instance resumes after the id the first one gave it.
/// </summary>
[TestFixture(CandyTransport.Sse)]
[TestFixture(CandyTransport.WebSocket)]
[NonParallelizable]
public sealed class CandyClientScaleOutTests(CandyTransport transport)
{
    private CandyServer _a = null!;
    private CandyServer _b = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var site = ClientSite.WithConfig($$"""{ "redis": "{{TestServices.Redis}}", "channels": { "history": 100, "historyAge": 600 } }""");
        _a = await CandyServer.StartAsync(site);
        _b = await CandyServer.StartAsync(site);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Test]
    public async Task PublishedOnOneInstance_ReachesAClientOfTheOther_WithTheSameId()
    {
        var name = ClientSite.NewName();
        var onB = new CandyClient(_b.Client, new CandyClientOptions { Transport = transport });
        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(onB.Listen<Item>($"/channels/{name}/stream"), deadline);
        var first = messages.MoveNextAsync().AsTask();
        await CandyChannelTests.WaitForSubscribersAsync(ClientSite.Channel(_b, name), 1);

        var id = await ClientSite.Channel(_a, name).Publish(new Item(1, "from A"));

        Assert.That(await first, Is.True);
        Assert.That(messages.Current.Id, Is.EqualTo(id));
        Assert.That(messages.Current.Data, Is.EqualTo(new Item(1, "from A")));
    }

    [Test]
    public async Task ClientOfOneInstance_ResumesOnTheOther_AfterTheIdItHad()
    {
        var name = ClientSite.NewName();
        var onA = ClientSite.Channel(_a, name);
        var clientOfA = new CandyClient(_a.Client, new CandyClientOptions { Transport = transport });
        string lastId;
        using (var deadline = new CancellationTokenSource(Deadline))
        {
            await using var messages = Open(clientOfA.Listen<Item>($"/channels/{name}/stream"), deadline);
            var first = messages.MoveNextAsync().AsTask();
            await CandyChannelTests.WaitForSubscribersAsync(onA, 1);
            await onA.Publish(new Item(1, "seen on A"));
            Assert.That(await first, Is.True);
            lastId = messages.Current.Id!;
        }

        await onA.Publish(new Item(2, "missed"));
        await onA.Publish(new Item(3, "missed"));
        var clientOfB = new CandyClient(_b.Client, new CandyClientOptions { Transport = transport });
        using var later = new CancellationTokenSource(Deadline);
        await using var resumed = Open(clientOfB.Listen<Item>($"/channels/{name}/stream", new CandyListenOptions { LastEventId = lastId }), later);

        var replayed = await TakeAsync(resumed, 2);

        Assert.That(replayed.Select(m => m.Data!.N), Is.EqualTo(new[] { 2, 3 }), Describe(replayed));
        Assert.That(replayed.Select(m => m.IsReset), Has.All.False);
    }
}
