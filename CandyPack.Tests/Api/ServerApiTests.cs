using System.Net;
using System.Text.Json;
using CandyPack.Hosting;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Api.ApiRequests;

namespace CandyPack.Tests.Api;

/// <summary>
/// The server API's publish and who may call it, over real Kestrel sockets: a key or the site's policy lets a service
/// publish to a channel whose subscribers see the message with the id the API answered; a wrong or missing key is 401;
/// a site that did not turn the API on has no API (404); bad input is 400 naming the field.
/// </summary>
[TestFixture]
public sealed class ServerApiTests
{
    private CandyServer _server = null!;

    private HttpClient Client => _server.Client;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(ApiSite.WithConfig(ApiSite.Config()));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Publish_WithKey_ReachesSubscribers_WithTheIdItAnswered()
    {
        var room = NewRoom();
        await using var subscriber = await SubscribeAsync(Client, room);

        var id = await PublishAsync(Client, room, new { n = 1 }, "order");

        var items = await subscriber.WaitForAsync(i => i.Count >= 1, "the published message");
        Assert.Multiple(() =>
        {
            Assert.That(items[0].EventType, Is.EqualTo("order"));
            Assert.That(items[0].EventId, Is.EqualTo(id));
            Assert.That(JsonDocument.Parse(items[0].Data).RootElement.GetProperty("n").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Publish_StringData_ArrivesAsTheText_AsChannelPublishSendsIt()
    {
        var room = NewRoom();
        await using var subscriber = await SubscribeAsync(Client, room);

        await PublishAsync(Client, room, "hello\nworld");

        var items = await subscriber.WaitForAsync(i => i.Count >= 1, "the text message");
        Assert.That(items[0].Data, Is.EqualTo("hello\nworld"));
    }

    [TestCase("apikey wrong-key-0123456789abcdef")]
    [TestCase("Bearer " + ApiSite.Key)]
    [TestCase(null)]
    public async Task Publish_WithoutTheKey_Is401_AndPublishesNothing(string? authorization)
    {
        var room = NewRoom();
        await using var subscriber = await SubscribeAsync(Client, room);

        var (status, body, response) = await PostAsync(Client, "publish", $$"""{"channel":"{{room}}","data":"refused"}""", authorization);
        await PublishAsync(Client, room, "allowed");

        var items = await subscriber.WaitForAsync(i => i.Count >= 1, "the allowed message");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(body.GetProperty("field").GetString(), Is.EqualTo("Authorization"));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("apikey"));
            Assert.That(body.ToString(), Does.Not.Contain("wrong-key"), "a key is never echoed");
            Assert.That(items[0].Data, Is.EqualTo("allowed"), "the refused publish sent nothing");
            Assert.That(string.Join('\n', _server.Logs.Entries.Select(e => e.Message)), Does.Not.Contain("wrong-key").And.Not.Contain(ApiSite.Key), "a key is never logged");
        });
    }

    [TestCase("publisher", HttpStatusCode.OK)]
    [TestCase("mallory", HttpStatusCode.Forbidden)]
    public async Task Publish_WithoutKey_LetsInTheUsersThePolicyAllows(string user, HttpStatusCode expected)
    {
        var (status, body, _) = await PostAsync(Client, "publish", $$"""{"channel":"{{NewRoom()}}","data":1}""", authorization: null, user: user);

        Assert.That(status, Is.EqualTo(expected), body.ToString());
    }

    [TestCase("""{"channel":"room:a","data":1,"colour":"red"}""", "colour")]
    [TestCase("""{"channel":5,"data":1}""", "channel")]
    [TestCase("""{"channel":"","data":1}""", "channel")]
    [TestCase("""{"data":1}""", "channel")]
    [TestCase("""{"channel":"room:a"}""", "data")]
    [TestCase("""{"channel":"room:a","data":1,"event":"end"}""", "event")]
    [TestCase("""{"channel":"room:a","data":1,"event":["x"]}""", "event")]
    [TestCase("""["room:a"]""", "body")]
    [TestCase("""{"channel":""", "body")]
    public async Task Publish_BadInput_Is400_NamingTheField(string json, string field)
    {
        var (status, body, _) = await PostAsync(Client, "publish", json);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
            Assert.That(body.GetProperty("field").GetString(), Is.EqualTo(field), body.ToString());
            Assert.That(body.GetProperty("error").GetString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Publish_BodyOverTheLimit_Is413_NamingTheOption()
    {
        var (status, body, _) = await PostAsync(Client, "publish", JsonSerializer.Serialize(new { channel = NewRoom(), data = new string('x', 5000) }));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(body.GetProperty("field").GetString(), Is.EqualTo("body"));
            Assert.That(body.GetProperty("error").GetString(), Does.Contain("api.maxBodySize"));
        });
    }

    [Test]
    public async Task SiteWithoutTheApi_AnswersEveryCommandWith404_EvenWithAKey()
    {
        await using var server = await CandyServer.StartAsync(ApiSite.WithConfig($$"""{ "api": { "keys": [ "{{ApiSite.Key}}" ] } }"""));

        var answers = new[]
        {
            (await PostAsync(server.Client, "publish", """{"channel":"a","data":1}""")).Status,
            (await PostAsync(server.Client, "broadcast", """{"channels":["a"],"data":1}""")).Status,
            (await PostAsync(server.Client, "disconnect", """{"user":"ann"}""")).Status,
            (await GetAsync(server.Client, "presence?channel=a")).Status,
            (await GetAsync(server.Client, "history?channel=a")).Status,
        };

        Assert.That(answers, Is.All.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ApiEnabled_WithNeitherKeyNorPolicy_StopsStartup_NamingTheOptions()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => CandyServer.StartAsync(ApiSite.WithConfig("""{ "api": { "enabled": true } }""")));

        Assert.That(error!.Message, Does.Contain("api.keys").And.Contain("api.policy").And.Contain("CANDY_API__KEYS__0"));
    }

    [Test]
    public async Task ApiKey_TooShort_StopsStartup_WithoutShowingIt()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => CandyServer.StartAsync(ApiSite.WithConfig("""{ "api": { "enabled": true, "keys": [ "short-secret" ] } }""")));

        Assert.That(error!.Message, Does.Contain("api.keys[0]").And.Not.Contain("short-secret"));
    }
}
