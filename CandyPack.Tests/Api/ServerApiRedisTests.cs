using System.Net;
using System.Text.Json;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Api.ApiRequests;

namespace CandyPack.Tests.Api;

/// <summary>
/// Two instances of one site sharing the Redis server that scripts/test.sh starts, each a real Kestrel: a publish
/// through A's API reaches a subscriber on B with one id, B's history answers it, and a disconnect asked of A closes
/// the user's streams on B.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ServerApiRedisTests
{
    private CandyServer _a = null!;
    private CandyServer _b = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // One site name for both, so they share its Redis keys, as two instances of a deployed site do.
        var config = ApiSite.Config($$""", "redis": "{{TestServices.Redis}}" """);
        var site = ApiSite.WithConfig(config);
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
    public async Task PublishThroughA_ReachesASubscriberOnB_AndBsHistory()
    {
        var room = NewRoom();
        await using var onB = await SubscribeAsync(_b.Client, room);

        var id = await PublishAsync(_a.Client, room, new { n = 7 }, "order");

        var items = await onB.WaitForAsync(i => i.Count >= 1, "the message published through A, on B");
        var (status, history, _) = await GetAsync(_b.Client, $"history?channel={room}");
        Assert.Multiple(() =>
        {
            Assert.That(items[0].EventId, Is.EqualTo(id), "one id, given by the shared stream");
            Assert.That(items[0].EventType, Is.EqualTo("order"));
            Assert.That(JsonDocument.Parse(items[0].Data).RootElement.GetProperty("n").GetInt32(), Is.EqualTo(7));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), history.ToString());
            Assert.That(history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()), Is.EqualTo(new[] { id }));
        });
    }

    [Test]
    public async Task HistoryOnB_OfAChannelOnlyAPublishedTo_IsTheSharedStream()
    {
        var room = NewRoom();
        var first = await PublishAsync(_a.Client, room, 1);
        var second = await PublishAsync(_a.Client, room, 2);

        var (_, newest, _) = await GetAsync(_b.Client, $"history?channel={room}");
        var (_, after, _) = await GetAsync(_b.Client, $"history?channel={room}&since={first}");

        Assert.Multiple(() =>
        {
            Assert.That(newest.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()), Is.EqualTo(new[] { first, second }), newest.ToString());
            Assert.That(after.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()), Is.EqualTo(new[] { second }), after.ToString());
        });
    }

    [Test]
    public async Task DisconnectAskedOfA_ClosesTheUsersStreamsOnB()
    {
        var user = "dan-" + Guid.NewGuid().ToString("N")[..6];
        await using var onB = await SubscribeAsync(_b.Client, NewRoom(), user);

        var (status, body, _) = await PostAsync(_a.Client, "disconnect", $$"""{"user":"{{user}}"}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("closed").GetInt32(), Is.Zero, "A holds none of the user's streams");
        await onB.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(onB.Items.Select(i => i.EventType), Does.Contain("end"));
    }
}
