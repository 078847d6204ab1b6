using System.Net;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>The subscription hook: <see cref="IChannelAuthorizer"/> refuses with 403 and a message that names the channel.</summary>
[TestFixture]
public sealed class ChannelAuthorizationTests
{
    private CandyServer _server = null!;
    private CandyServer _example = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await CandyServer.StartAsync(ChannelSite.Definition());
        _example = await CandyServer.StartAsync(CandyServer.ExampleSite());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        await _example.DisposeAsync();
    }

    [Test]
    public async Task Subscribe_Refused_Gets403NamingTheChannel_AndOpensNoStream()
    {
        var name = "secret:" + Guid.NewGuid().ToString("N");
        using var response = await _server.OpenStreamAsync($"/channels/{name}/stream");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"may not subscribe to channel '{name}'"));
        Assert.That(ChannelSite.Runtime(_server).Channels.Channel(name).LocalSubscribers, Is.Zero);
    }

    [Test]
    public async Task Subscribe_Allowed_Streams()
    {
        var name = "secret:" + Guid.NewGuid().ToString("N");
        var request = _server.Request(HttpMethod.Get, $"/channels/{name}/stream");
        request.Headers.Add("X-Allow", "yes");
        using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
    }

    [Test]
    public async Task ExampleSite_UserMayOnlyListenToOwnNotifications()
    {
        using var other = await SseListenerStatus($"/notifications/user/bob/stream", "user=alice");
        using var own = await SseListenerStatus($"/notifications/user/alice/stream", "user=alice");

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await other.Content.ReadAsStringAsync(), Does.Contain("user:bob"));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private Task<HttpResponseMessage> SseListenerStatus(string path, string cookie)
    {
        var request = _example.Request(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return _example.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
