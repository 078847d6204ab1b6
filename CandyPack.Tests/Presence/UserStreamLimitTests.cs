using System.Net;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Presence;

/// <summary><c>stream.maxPerUser</c> (2 in Sites/presence-limited) on one instance: refused with 429, or the oldest closed.</summary>
[TestFixture]
public sealed class UserStreamLimitTests
{
    private const string AliveMark = "alive-";

    /// <summary>What a stream closed by a newer one of its user receives: the documented error message, then end.</summary>
    private static readonly string[] ClosedEnding =
    [
        "message:{\"error\":\"This stream was closed: a newer stream of the same user took its place (stream.maxPerUser is 2).\"}",
        "end:",
    ];

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
    public async Task MaxPerUser_CloseOldest_OpensTheNewStreamAndClosesTheOldestWithTheDocumentedEnding()
    {
        var (user, room) = (NewUser(), NewUser());
        await using var oldest = await OpenAsync(_closesOldest, user, room);
        await using var middle = await OpenAsync(_closesOldest, user, room);
        await using var newest = await OpenAsync(_closesOldest, user, room);

        // The oldest ends, with the error message and then end, so the client does not reconnect; the two newer stay open.
        await oldest.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await AssertOpenAsync(_closesOldest, room, middle, newest);
        Assert.That(Ending(oldest), Is.EqualTo(ClosedEnding), SseListener.Describe(oldest.Items));

        // Then the middle one is the oldest: the next stream closes it, not the newer one.
        await using var fourth = await OpenAsync(_closesOldest, user, room);
        await middle.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await AssertOpenAsync(_closesOldest, room, newest, fourth);
        Assert.Multiple(() =>
        {
            Assert.That(Ending(middle), Is.EqualTo(ClosedEnding), SseListener.Describe(middle.Items));
            Assert.That(newest.Completion.IsCompleted, Is.False, "only the oldest is closed");
        });
    }

    /// <summary>The events a stream received, as <c>type:data</c>, leaving out the messages <see cref="AssertOpenAsync"/> published.</summary>
    private static List<string> Ending(SseListener stream) =>
        [.. stream.Items.Where(i => !i.Data.Contains(AliveMark, StringComparison.Ordinal)).Select(i => $"{i.EventType}:{i.Data}")];

    /// <summary>Each of <paramref name="streams"/> is open: it receives a message published on <paramref name="room"/> now.</summary>
    private static async Task AssertOpenAsync(CandyServer server, string room, params SseListener[] streams)
    {
        var text = AliveMark + Guid.NewGuid().ToString("N")[..6];
        using var published = await server.Client.PostAsync($"/rooms/{room}?text={text}", null);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        foreach (var stream in streams)
        {
            await stream.WaitForAsync(items => items.Any(i => i.Data.Contains(text, StringComparison.Ordinal)), $"'{text}' on a stream that should be open");
        }
    }

    private static string NewUser() => "u" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<SseListener> OpenAsync(CandyServer server, string user, string? room = null)
    {
        var path = room is null ? "/plain/stream" : $"/rooms/{room}/stream";
        var listener = await SseListener.OpenAsync(server.Client, path, headers: [new(HeaderAuthentication.Header, user)]);
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
