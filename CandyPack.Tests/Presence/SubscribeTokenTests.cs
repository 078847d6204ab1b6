using System.Net;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Presence.PresenceClient;

namespace CandyPack.Tests.Presence;

/// <summary>Subscribe tokens in the stream URL, for clients that cannot send credentials: a clock the tests move decides expiry.</summary>
[TestFixture]
public sealed class SubscribeTokenTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(_clock, PresenceSite.Definition());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Token_SubscribesWithoutCredentials_AsTheUserItWasIssuedFor()
    {
        var room = NewRoom();
        var token = await TokenAsync(_server.Client, room, "ann");

        await using var listener = await SubscribeAsync(_server.Client, room, user: null, $"token={token}");

        Assert.That(listener.Status, Is.EqualTo(HttpStatusCode.OK));
        var members = await WaitForPresenceAsync(_server.Client, room, m => m.Count == 1, "the token's user");
        Assert.That(members[0].UserId, Is.EqualTo("ann"));
    }

    [Test]
    public async Task Token_ForAnotherChannel_Gets401NamingItsChannel()
    {
        var room = NewRoom();
        var token = await TokenAsync(_server.Client, room, "ann");

        var (status, body) = await OpenAsync($"/rooms/{NewRoom()}/stream?token={token}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain($"issued for channel '{room}'"));
    }

    [Test]
    public async Task Token_Altered_Gets401()
    {
        var room = NewRoom();
        var token = await TokenAsync(_server.Client, room, "ann");
        var altered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        var (status, body) = await OpenAsync($"/rooms/{room}/stream?token={altered}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("not valid"));
    }

    [Test]
    public async Task Token_Expired_Gets401SayingWhen()
    {
        var room = NewRoom();
        var token = await TokenAsync(_server.Client, room, "ann", seconds: 30);

        _clock.Advance(TimeSpan.FromSeconds(31));
        var (status, body) = await OpenAsync($"/rooms/{room}/stream?token={token}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("expired at"));
    }

    [Test]
    public async Task Token_AuthenticatesNothingButTheSubscription()
    {
        var room = NewRoom();
        var token = await TokenAsync(_server.Client, room, "ann");

        using var response = await _server.Client.GetAsync($"/whoami?token={token}");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"name":null,"authenticated":false}"""));
    }

    private async Task<(HttpStatusCode Status, string Body)> OpenAsync(string url)
    {
        using var response = await _server.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        return (response.StatusCode, response.IsSuccessStatusCode ? string.Empty : await response.Content.ReadAsStringAsync());
    }
}
