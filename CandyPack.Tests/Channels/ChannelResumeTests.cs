using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// Last-Event-ID resume against the in-process backplane: history of 5 messages, 60 s of age (Sites/channels), and a
/// clock the tests move.
/// </summary>
[TestFixture]
public sealed class ChannelResumeTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UnixEpoch.AddYears(56));
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(_clock, ChannelSite.Definition());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private CandyChannel NewChannel() => ChannelSite.Runtime(_server).Channels.Channel("resume-" + Guid.NewGuid().ToString("N"));

    [Test]
    public async Task Resume_ByQueryParameter_ForClientsThatCannotSetTheHeader()
    {
        var channel = NewChannel();
        var first = await channel.Publish(new { n = 1 });
        await channel.Publish(new { n = 2 });

        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream?lastEventId={first}");

        Assert.That((await listener.WaitForMessagesAsync(1)).Select(CandyChannelTests.Number), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public async Task Resume_FromNewestId_ReplaysNothing_ThenLive()
    {
        var channel = NewChannel();
        var newest = await channel.Publish(new { n = 1 });
        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: newest);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);

        await channel.Publish(new { n = 2 });

        var items = await listener.WaitForAsync(i => i.Count >= 1, "one event");
        Assert.That(items.Select(i => i.EventType), Is.EqualTo(new[] { "message" }), "no reset and no replay");
        Assert.That(CandyChannelTests.Number(items[0].Data), Is.EqualTo(2));
    }

    [Test]
    public async Task Resume_IdOlderThanHistoryCount_GetsResetWithNewestId()
    {
        var channel = NewChannel();
        var ids = new List<string>();
        for (var n = 1; n <= 8; n++)
        {
            ids.Add(await channel.Publish(new { n }));
        }

        // History keeps 5 (4..8): after 4 is resumable; 3 has left the history, so what followed it may be gone.
        await using var resumable = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: ids[3]);
        await using var tooOld = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: ids[2]);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 2);
        await channel.Publish(new { n = 9 });

        Assert.That((await resumable.WaitForMessagesAsync(5)).Select(CandyChannelTests.Number), Is.EqualTo(new[] { 5, 6, 7, 8, 9 }));
        var items = await tooOld.WaitForAsync(i => i.Count >= 2, "a reset, then the live message");
        Assert.Multiple(() =>
        {
            Assert.That(items[0].EventType, Is.EqualTo("reset"));
            Assert.That(items[0].EventId, Is.EqualTo(ids[7]), "the reset carries the newest id, so the next reconnect resumes from there");
            Assert.That(items[0].Data, Does.Contain(ids[2]));
            Assert.That(items[1].EventType, Is.EqualTo("message"));
            Assert.That(CandyChannelTests.Number(items[1].Data), Is.EqualTo(9));
        });
    }

    [Test]
    public async Task Resume_MissedMessagesOlderThanHistoryAge_GetsReset()
    {
        var channel = NewChannel();
        var first = await channel.Publish(new { n = 1 });
        var second = await channel.Publish(new { n = 2 });
        await channel.Publish(new { n = 3 });
        _clock.Advance(TimeSpan.FromSeconds(61));

        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: first);
        await using var upToDate = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: second);

        var items = await listener.WaitForAsync(i => i.Count >= 1, "a reset");
        Assert.That(items[0].EventType, Is.EqualTo("reset"));
        Assert.That((await upToDate.WaitForAsync(i => i.Count >= 1, "a reset"))[0].EventType, Is.EqualTo("reset"));
    }

    [Test]
    public async Task Resume_QuietChannel_NewestIdStaysResumable_PastTheAge()
    {
        var channel = NewChannel();
        var newest = await channel.Publish(new { n = 1 });
        _clock.Advance(TimeSpan.FromMinutes(10));

        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: newest);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 2 });

        var items = await listener.WaitForAsync(i => i.Count >= 1, "the live message");
        Assert.That(items[0].EventType, Is.EqualTo("message"), "the client missed nothing, so it needs no reset");
    }

    [Test]
    public async Task Resume_UnknownId_GetsReset()
    {
        var channel = NewChannel();
        await channel.Publish(new { n = 1 });

        await using var garbage = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: "not-an-id");
        await using var unknown = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: "12-0");

        Assert.That((await garbage.WaitForAsync(i => i.Count >= 1, "a reset"))[0].EventType, Is.EqualTo("reset"));
        Assert.That((await unknown.WaitForAsync(i => i.Count >= 1, "a reset"))[0].EventType, Is.EqualTo("reset"));
    }
}
