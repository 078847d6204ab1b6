using System.Net;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Presence;

/// <summary><c>stream.maxPerUser</c> (2 in Sites/presence-limited) on one instance: refused with 429, or the oldest closed.</summary>
[TestFixture]
public sealed class UserStreamLimitTests
{
    private CandyServer _server = null!;
    private CandyServer _closesOldest = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await CandyServer.StartAsync(PresenceSite.Definition("presence-limited"));
        _closesOldest = await CandyServer.StartAsync(PresenceSite.Definition("presence-oldest"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        await _closesOldest.DisposeAsync();
    }

    [Test]
    public async Task MaxPerUser_TheNextStreamOfThatUserGets429WithRetryAfter()
    {
        var user = NewUser();
        await using var first = await OpenAsync(_server, user);
        await using var second = await OpenAsync(_server, user);

        using var third = await RequestAsync(_server, user);
        await using var otherUser = await OpenAsync(_server, NewUser());
        await using var anonymous = await SseListener.OpenAsync(_server.Client, "/plain/stream");

        // A third stream that opened would never end its body: read it only when it was refused.
        var body = third.StatusCode == HttpStatusCode.TooManyRequests ? await third.Content.ReadAsStringAsync() : $"(the third stream opened: {third.StatusCode})";
        Assert.Multiple(() =>
        {
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(third.Headers.RetryAfter, Is.Not.Null);
            Assert.That(body, Does.Contain("stream.maxPerUser"));
            Assert.That(otherUser.Status, Is.EqualTo(HttpStatusCode.OK), "another user has their own limit");
            Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.OK), "anonymous streams are not counted");
        });
    }

    [Test]
    public async Task MaxPerUser_OnceAStreamCloses_TheUserMayOpenAnother()
    {
        var user = NewUser();
        await using var first = await OpenAsync(_server, user);
        var second = await OpenAsync(_server, user);

        await second.DisposeAsync();

        Assert.That(
            await Eventually.TrueAsync(async () =>
            {
                using var response = await RequestAsync(_server, user);
                return response.StatusCode == HttpStatusCode.OK;
            }),
            Is.True,
            "a closed stream frees its place");
    }

    [Test]
    public async Task MaxPerUser_CloseOldest_OpensTheNewStreamAndClosesTheFirstWithAnError()
    {
        var user = NewUser();
        await using var oldest = await OpenAsync(_closesOldest, user);
        await using var middle = await OpenAsync(_closesOldest, user);

        await using var newest = await OpenAsync(_closesOldest, user);

        await oldest.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(newest.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(oldest.Items.Select(i => i.Data), Has.Some.Contains("stream.maxPerUser"), SseListener.Describe(oldest.Items));
            Assert.That(middle.Completion.IsCompleted, Is.False, "only the oldest is closed");
        });
    }

    private static string NewUser() => "u" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<SseListener> OpenAsync(CandyServer server, string user)
    {
        var listener = await SseListener.OpenAsync(server.Client, "/plain/stream", headers: [new(HeaderAuthentication.Header, user)]);
        Assert.That(listener.Status, Is.EqualTo(HttpStatusCode.OK), $"stream of {user}");
        return listener;
    }

    private static Task<HttpResponseMessage> RequestAsync(CandyServer server, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/plain/stream");
        request.Headers.Add(HeaderAuthentication.Header, user);
        return server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
