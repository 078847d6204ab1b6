using System.Net;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Presence;

/// <summary>
/// A subscription that fails after its stream was counted and before it started (the channel cannot be opened any more)
/// answers with that failure and keeps nothing: not its place among the open streams, not its user's stream, not a
/// presence entry. Sites/presence-stale: one channel at most, one stream per user, channels dropped after 60 s idle.
/// </summary>
[TestFixture]
public sealed class StreamSetupFailureTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(_clock, PresenceSite.Definition("presence-stale"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task SubscriptionFailingBeforeItsStreamStarts_AnswersTheFailure_AndHoldsNoStreamUserOrPresenceSlot()
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..10];
        var room = "room:" + Guid.NewGuid().ToString("N")[..10];
        var site = PresenceSite.Runtime(_server);
        using (var kept = await SendAsync($"/kept/{room}", user))
        {
            Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // The kept channel is dropped once idle past historyAge, and another channel takes the site's only place.
        _clock.Advance(TimeSpan.FromSeconds(61));
        site.Channels.Sweep();
        Assert.That(site.Channels.TryGet(room, out _), Is.False, "the idle channel was not dropped");
        await using var other = await SseListener.OpenAsync(_server.Client, "/rooms/room:other/stream");
        Assert.That(other.Status, Is.EqualTo(HttpStatusCode.OK));
        var open = site.Streams.Count;

        // Subscribing with the kept handle needs the channel anew: refused at channels.maxChannels, after the stream was counted.
        using var failed = await SendAsync($"/kept/{room}/stream", user);
        var body = failed.StatusCode == HttpStatusCode.ServiceUnavailable ? await failed.Content.ReadAsStringAsync() : $"(answered {failed.StatusCode})";

        Assert.Multiple(() =>
        {
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
            Assert.That(body, Does.Contain("channels.maxChannels"));
        });
        Assert.That(await Eventually.TrueAsync(() => site.Streams.Count == open), Is.True, $"the failed stream still counts among the open ones: {site.Streams.Count}, {open} before");
        await using var next = await SseListener.OpenAsync(_server.Client, "/plain/stream", headers: [new(HeaderAuthentication.Header, user)]);
        var present = await site.Channels.Presence!.HeldAsync(room);
        Assert.Multiple(() =>
        {
            Assert.That(next.Status, Is.EqualTo(HttpStatusCode.OK), "the user's only stream (stream.maxPerUser is 1) is still held by the failed one");
            Assert.That(present, Is.Zero, "the failed stream is in the room's presence");
        });
    }

    private Task<HttpResponseMessage> SendAsync(string path, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(HeaderAuthentication.Header, user);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
        return _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
