using System.Net;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Api.ApiRequests;

namespace CandyPack.Tests.Api;

/// <summary>
/// The server API's disconnect, over real Kestrel sockets: every stream of the user closes (channel subscriptions and
/// plain streams alike), with <c>end</c> so the client stays away, or without it when asked to reconnect; other users'
/// streams stay open.
/// </summary>
[TestFixture]
public sealed class ServerApiDisconnectTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private CandyServer _server = null!;

    private HttpClient Client => _server.Client;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(ApiSite.WithConfig(ApiSite.Config()));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Disconnect_ClosesEveryStreamOfTheUser_WithEnd_AndNoOtherUsers()
    {
        var room = NewRoom();
        var user = "ann-" + Guid.NewGuid().ToString("N")[..6];
        await using var annInRoom = await SubscribeAsync(Client, room, user);
        await using var annPlain = await SseListener.OpenAsync(Client, "/plain/stream", headers: [new(HeaderAuthentication.Header, user)]);
        await using var bob = await SubscribeAsync(Client, room, "bob");

        var (status, body, _) = await PostAsync(Client, "disconnect", $$"""{"user":"{{user}}"}""");

        await annInRoom.Completion.WaitAsync(Deadline);
        await annPlain.Completion.WaitAsync(Deadline);
        await PublishAsync(Client, room, "still here");
        var toBob = await bob.WaitForAsync(i => i.Any(m => m.Data == "still here"), "the message after the disconnect, on bob's stream");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("closed").GetInt32(), Is.EqualTo(2));
            Assert.That(annInRoom.Items.Select(i => i.EventType), Does.Contain("end"), "the client is told not to come back");
            Assert.That(annPlain.Items.Select(i => i.EventType), Does.Contain("end"));
            Assert.That(toBob.Select(i => i.EventType), Does.Not.Contain("end"));
        });
    }

    [Test]
    public async Task Disconnect_WithReconnect_EndsTheStreamsWithoutEnd()
    {
        var user = "cat-" + Guid.NewGuid().ToString("N")[..6];
        await using var cat = await SubscribeAsync(Client, NewRoom(), user);

        var (status, body, _) = await PostAsync(Client, "disconnect", $$"""{"user":"{{user}}","reconnect":true}""");

        await cat.Completion.WaitAsync(Deadline);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("closed").GetInt32(), Is.EqualTo(1));
            Assert.That(cat.Items.Select(i => i.EventType), Does.Not.Contain("end"), "without end, the client reconnects");
        });
    }

    [TestCase("""{"user":""}""", "user")]
    [TestCase("""{"user":"ann","reconnect":"yes"}""", "reconnect")]
    [TestCase("""{"userId":"ann"}""", "userId")]
    public async Task Disconnect_BadInput_Is400_NamingTheField(string json, string field)
    {
        var (status, body, _) = await PostAsync(Client, "disconnect", json);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
        Assert.That(body.GetProperty("field").GetString(), Is.EqualTo(field), body.ToString());
    }
}
