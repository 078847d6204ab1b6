using System.Net;
using System.Text.Json;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Api.ApiRequests;

namespace CandyPack.Tests.Api;

/// <summary>
/// The server API's history, presence and broadcast, over real Kestrel sockets: history is what a resuming client would
/// be replayed (with a reset once it no longer reaches back), presence lists the users subscribed, and a broadcast
/// reaches every channel it names with an id for each.
/// </summary>
[TestFixture]
public sealed class ServerApiReadTests
{
    private CandyServer _server = null!;

    private HttpClient Client => _server.Client;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(ApiSite.WithConfig(ApiSite.Config()));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task History_Since_GivesTheMessagesAfterIt_OldestFirst_UpToTheLimit()
    {
        var room = NewRoom();
        var first = await PublishAsync(Client, room, "one");
        var second = await PublishAsync(Client, room, new { n = 2 }, "update");
        var third = await PublishAsync(Client, room, "three");

        var (_, all, _) = await GetAsync(Client, $"history?channel={room}&since={first}");
        var (_, page, _) = await GetAsync(Client, $"history?channel={room}&since={first}&limit=1");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(all), Is.EqualTo(new[] { second, third }));
            Assert.That(all.GetProperty("reset").GetBoolean(), Is.False);
            Assert.That(all.GetProperty("newest").GetString(), Is.EqualTo(third));
            var message = all.GetProperty("messages")[0];
            Assert.That(message.GetProperty("event").GetString(), Is.EqualTo("update"));
            Assert.That(message.GetProperty("data").GetProperty("n").GetInt32(), Is.EqualTo(2), "JSON data comes back as JSON");
            Assert.That(all.GetProperty("messages")[1].GetProperty("data").GetString(), Is.EqualTo("three"), "text comes back as a string");
            Assert.That(Ids(page), Is.EqualTo(new[] { second }));
        });
    }

    [Test]
    public async Task History_WithoutSince_GivesTheNewest()
    {
        var room = NewRoom();
        await PublishAsync(Client, room, 1);
        var second = await PublishAsync(Client, room, 2);
        var third = await PublishAsync(Client, room, 3);

        var (status, body, _) = await GetAsync(Client, $"history?channel={room}&limit=2");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(Ids(body), Is.EqualTo(new[] { second, third }));
    }

    [Test]
    public async Task History_SincePastWhatIsKept_IsAReset()
    {
        var room = NewRoom();
        var first = await PublishAsync(Client, room, 1);
        for (var n = 2; n <= 5; n++)
        {
            await PublishAsync(Client, room, n);
        }

        var (_, body, _) = await GetAsync(Client, $"history?channel={room}&since={first}");

        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("reset").GetBoolean(), Is.True, "the site keeps three messages; the second is gone");
            Assert.That(body.GetProperty("messages").GetArrayLength(), Is.Zero);
        });
    }

    [TestCase("history?channel=room:a&limit=0", "limit")]
    [TestCase("history?channel=room:a&limit=1001", "limit")]
    [TestCase("history?channel=room:a&limit=ten", "limit")]
    [TestCase("history?channel=room:a&since=yesterday", "since")]
    [TestCase("history?limit=5", "channel")]
    [TestCase("history?channel=room:a&colour=red", "colour")]
    [TestCase("presence?channel=lobby", "channel")]
    [TestCase("presence", "channel")]
    public async Task Get_BadQuery_Is400_NamingTheParameter(string commandAndQuery, string field)
    {
        var (status, body, _) = await GetAsync(Client, commandAndQuery);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
        Assert.That(body.GetProperty("field").GetString(), Is.EqualTo(field), body.ToString());
    }

    [Test]
    public async Task Presence_ListsTheUsersSubscribed()
    {
        var room = NewRoom();
        await using var ann = await SubscribeAsync(Client, room, "ann");
        await using var bob = await SubscribeAsync(Client, room, "bob");
        JsonElement body = default;

        var listed = await Eventually.TrueAsync(async () =>
        {
            (_, body, _) = await GetAsync(Client, $"presence?channel={room}");
            return body.GetProperty("members").GetArrayLength() == 2;
        });

        Assert.That(listed, Is.True, body.ToString());
        Assert.That(body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetString()).Order(), Is.EqualTo(new[] { "ann", "bob" }));
    }

    [Test]
    public async Task Broadcast_ReachesEveryChannel_WithAnIdForEach()
    {
        var rooms = new[] { NewRoom(), NewRoom() };
        await using var first = await SubscribeAsync(Client, rooms[0]);
        await using var second = await SubscribeAsync(Client, rooms[1]);

        var (status, body, _) = await PostAsync(Client, "broadcast", JsonSerializer.Serialize(new { channels = rooms, data = new { alert = "hi" }, @event = "notice" }));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        var onFirst = await first.WaitForAsync(i => i.Count >= 1, "the broadcast on the first room");
        var onSecond = await second.WaitForAsync(i => i.Count >= 1, "the broadcast on the second room");
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("channel").GetString()), Is.EqualTo(rooms));
            Assert.That(onFirst[0].EventId, Is.EqualTo(results[0].GetProperty("id").GetString()));
            Assert.That(onSecond[0].EventId, Is.EqualTo(results[1].GetProperty("id").GetString()));
            Assert.That(onSecond[0].EventType, Is.EqualTo("notice"));
        });
    }

    [TestCase("""{"channels":["room:a","room:a"],"data":1}""", "channels[1]")]
    [TestCase("""{"channels":["room:a",""],"data":1}""", "channels[1]")]
    [TestCase("""{"channels":["room:a",2],"data":1}""", "channels[1]")]
    [TestCase("""{"channels":[],"data":1}""", "channels")]
    [TestCase("""{"channels":"room:a","data":1}""", "channels")]
    [TestCase("""{"channels":["room:a"],"data":1,"event":"reset"}""", "event")]
    public async Task Broadcast_BadInput_Is400_NamingTheField(string json, string field)
    {
        var (status, body, _) = await PostAsync(Client, "broadcast", json);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
        Assert.That(body.GetProperty("field").GetString(), Is.EqualTo(field), body.ToString());
    }

    private static List<string?> Ids(JsonElement history) =>
        [.. history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString())];
}
