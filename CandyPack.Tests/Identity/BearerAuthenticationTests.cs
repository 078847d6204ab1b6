using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CandyPack.Tests.Identity.Site;
using CandyPack.Tests.Support;
using Microsoft.IdentityModel.Tokens;
using static CandyPack.Tests.Presence.PresenceClient;

namespace CandyPack.Tests.Identity;

/// <summary>
/// JWT bearer, configured in a site's ISiteStartup as the README shows: <c>candy.User</c> is the token's user on
/// requests and streams, presence lists them, and a bearer client gets a subscribe token for an <c>EventSource</c>,
/// which cannot send the header. A token signed with another key or expired makes the request anonymous.
/// </summary>
[TestFixture]
public sealed class BearerAuthenticationTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(BearerSite.Definition());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Bearer_MakesTheRequestTheTokensUser()
    {
        var body = await GetAsync("/whoami", BearerSite.TokenFor("user-17", "ann", TimeSpan.FromMinutes(5)));

        Assert.That(body, Is.EqualTo("""{"name":"ann","authenticated":true}"""));
    }

    [Test]
    public async Task Bearer_SignedWithAnotherKey_OrExpired_IsAnonymous()
    {
        var forged = BearerSite.TokenFor("user-17", "ann", TimeSpan.FromMinutes(5), new SymmetricSecurityKey(new byte[32]));
        var expired = BearerSite.TokenFor("user-17", "ann", TimeSpan.FromMinutes(-1));

        Assert.Multiple(async () =>
        {
            Assert.That(await GetAsync("/whoami", forged), Is.EqualTo("""{"name":null,"authenticated":false}"""));
            Assert.That(await GetAsync("/whoami", expired), Is.EqualTo("""{"name":null,"authenticated":false}"""));
        });
    }

    [Test]
    public async Task Bearer_StreamIsOpenedAsTheTokensUser_AndPresenceListsThem()
    {
        var room = NewRoom();
        await using var ann = await SseListener.OpenAsync(
            _server.Client, $"/rooms/{room}/stream", headers: [new("Authorization", "Bearer " + BearerSite.TokenFor("user-17", "ann", TimeSpan.FromMinutes(5)))]);

        Assert.That(ann.Status, Is.EqualTo(HttpStatusCode.OK));
        var members = await WaitForPresenceAsync(_server.Client, room, m => m.Count == 1, "the bearer's user");
        Assert.That(members[0].UserId, Is.EqualTo("user-17"), "the user id is the token's sub, not its name");
    }

    [Test]
    public async Task Bearer_GetsASubscribeToken_AndAStreamWithoutTheHeaderOpensAsThatUser()
    {
        var room = NewRoom();
        var token = JsonDocument.Parse(await GetAsync($"/rooms/{room}/token", BearerSite.TokenFor("user-42", "bob", TimeSpan.FromMinutes(5))))
            .RootElement.GetProperty("token").GetString();

        // What an EventSource does: the URL carries the subscribe token, no Authorization header.
        await using var bob = await SseListener.OpenAsync(_server.Client, $"/rooms/{room}/stream?token={Uri.EscapeDataString(token!)}");

        Assert.That(bob.Status, Is.EqualTo(HttpStatusCode.OK));
        var members = await WaitForPresenceAsync(_server.Client, room, m => m.Count == 1, "the subscribe token's user");
        Assert.That(members[0].UserId, Is.EqualTo("user-42"));
    }

    private async Task<string> GetAsync(string path, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await _server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return body;
    }
}
