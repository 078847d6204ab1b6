using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static CandyPack.Tests.Presence.PresenceClient;

namespace CandyPack.Tests.Presence;

/// <summary>
/// Identity, presence and join/leave on one instance (the in-process store): the test site authenticates requests by
/// their X-User header through ASP.NET Core authentication, and "room:*" channels keep presence with a 1 s grace.
/// </summary>
[TestFixture]
public sealed class PresenceTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(PresenceSite.Definition());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task User_IsThePrincipalOfTheSitesAuthentication()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Add(HeaderAuthentication.Header, "ann");
        using var signedIn = await _server.Client.SendAsync(request);
        using var anonymous = await _server.Client.GetAsync("/whoami");

        Assert.Multiple(async () =>
        {
            Assert.That(await signedIn.Content.ReadAsStringAsync(), Is.EqualTo("""{"name":"ann","authenticated":true}"""));
            Assert.That(await anonymous.Content.ReadAsStringAsync(), Is.EqualTo("""{"name":null,"authenticated":false}"""));
        });
    }

    [Test]
    public async Task Presence_ListsEachUserOnce_WithConnectionsAndInfo_AnonymousLeftOut()
    {
        var room = NewRoom();
        await using var annPhone = await SubscribeAsync(_server.Client, room, "ann", "device=phone");
        await using var annLaptop = await SubscribeAsync(_server.Client, room, "ann", "device=laptop");
        await using var bob = await SubscribeAsync(_server.Client, room, "bob");
        await using var anonymous = await SubscribeAsync(_server.Client, room, null);

        var members = await WaitForPresenceAsync(_server.Client, room, m => m.Sum(x => x.Connections) == 3, "three signed-in connections");

        Assert.Multiple(() =>
        {
            Assert.That(members.Select(m => m.UserId), Is.EquivalentTo(new[] { "ann", "bob" }));
            var ann = members.Single(m => m.UserId == "ann");
            Assert.That(ann.Connections, Is.EqualTo(2));
            Assert.That(ann.Info.Select(i => i.GetProperty("device").GetString()), Is.EquivalentTo(new[] { "phone", "laptop" }));
            Assert.That(members.Single(m => m.UserId == "bob").Info, Is.Empty, "bob's stream gave no info");
        });
    }

    [Test]
    public async Task Presence_DropsAUserWhenTheirLastStreamCloses()
    {
        var room = NewRoom();
        await using var bob = await SubscribeAsync(_server.Client, room, "bob");
        var ann = await SubscribeAsync(_server.Client, room, "ann");
        await WaitForPresenceAsync(_server.Client, room, m => m.Count == 2, "ann and bob");

        await ann.DisposeAsync();

        var members = await WaitForPresenceAsync(_server.Client, room, m => m.Count == 1, "only bob");
        Assert.That(members[0].UserId, Is.EqualTo("bob"));
    }

    [Test]
    public async Task JoinLeave_OneJoinForTheFirstStream_OneLeaveAfterTheLastCloses()
    {
        var room = NewRoom();
        await using var watcher = await SubscribeAsync(_server.Client, room, "watcher", "joinLeave=1");
        await watcher.WaitForAsync(i => Changes(watcher).Contains("join:watcher"), "the watcher's own join");

        var first = await SubscribeAsync(_server.Client, room, "ann");
        var second = await SubscribeAsync(_server.Client, room, "ann");
        await WaitForPresenceAsync(_server.Client, room, m => m.Any(x => x.UserId == "ann" && x.Connections == 2), "ann twice");
        await first.DisposeAsync();
        await second.DisposeAsync();

        await watcher.WaitForAsync(i => Changes(watcher).Contains("leave:ann"), "ann's leave");
        Assert.That(Changes(watcher), Is.EqualTo(new[] { "join:watcher", "join:ann", "leave:ann" }));
        var join = watcher.Items.First(i => i.EventType == "join" && i.Data.Contains("\"ann\"", StringComparison.Ordinal));
        Assert.That(JsonDocument.Parse(join.Data).RootElement.GetProperty("userId").GetString(), Is.EqualTo("ann"));
    }

    [Test]
    public async Task JoinLeave_AReconnectWithinTheGrace_IsNeitherLeaveNorJoin()
    {
        // The site's clock stands still until the test moves it, so the reconnect is inside the 1 s grace however
        // long the machine takes to make it.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await CandyServer.StartAsync(clock, PresenceSite.Definition());
        var presence = PresenceSite.Runtime(server).Channels.Presence!;
        var room = NewRoom();
        await using var watcher = await SubscribeAsync(server.Client, room, "watcher", "joinLeave=1");
        var before = await SubscribeAsync(server.Client, room, "ann");
        await watcher.WaitForAsync(i => Changes(watcher).Contains("join:ann"), "ann's join");

        await before.DisposeAsync();
        var streams = PresenceSite.Runtime(server).Streams;
        Assert.That(await Eventually.TrueAsync(() => streams.Count == 1), Is.True, "the server saw ann's stream close");
        var after = await SubscribeAsync(server.Client, room, "ann");
        await WaitForPresenceAsync(server.Client, room, m => m.Any(x => x.UserId == "ann"), "ann back");

        // Time moves on past the grace (again, until the server has seen the close): the closed stream is let go.
        Assert.That(
            await Eventually.TrueAsync(async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(1.5));
                return await presence.HeldAsync(room) == 2;
            }),
            Is.True,
            "the closed stream's grace ends");
        Assert.That(Changes(watcher).Where(c => c.EndsWith(":ann", StringComparison.Ordinal)), Is.EqualTo(new[] { "join:ann" }), "the reconnect was neither a leave nor a join");

        await after.DisposeAsync();
        Assert.That(
            await Eventually.TrueAsync(() =>
            {
                clock.Advance(TimeSpan.FromSeconds(1.5));
                return Changes(watcher).Contains("leave:ann");
            }, poll: TimeSpan.FromMilliseconds(100)),
            Is.True,
            "ann's leave once she is gone: " + string.Join(", ", Changes(watcher)));
        Assert.That(Changes(watcher).Where(c => c.EndsWith(":ann", StringComparison.Ordinal)), Is.EqualTo(new[] { "join:ann", "leave:ann" }));
    }

    [Test]
    public async Task JoinsAndLeavesMixedWithMessages_ReachOnlyWhoAsked_AllInOrder()
    {
        var room = NewRoom();
        await using var asked = await SubscribeAsync(_server.Client, room, "watcher", "joinLeave=1");
        await using var plain = await SubscribeAsync(_server.Client, room, "reader");
        await asked.WaitForAsync(i => Changes(asked).Contains("join:reader"), "the reader's join");

        // Published back to back, the events pile up while the fan-out runs, so its batches mix joins and leaves with
        // messages: the path where a subscriber that did not ask must skip some of a batch and get the rest in order.
        var hub = PresenceSite.Runtime(_server).Channels;
        var state = hub.Channel(room).State;
        var expected = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var kind = (i % 3) switch { 0 => "join", 1 => "leave", _ => null };
            await hub.PublishAsync(state, kind is null ? $"m{i}" : new { userId = $"u{i}" }, kind);
            expected.Add(kind is null ? $"m{i}" : $"{kind}:u{i}");
        }

        var messages = expected.Where(e => e.StartsWith('m')).ToList();
        await plain.WaitForAsync(i => i.Count(x => x.EventType == "message") >= messages.Count, "every message");
        await asked.WaitForAsync(i => Published(i).Count >= expected.Count, "every event");

        Assert.Multiple(() =>
        {
            Assert.That(plain.Items.Where(x => x.EventType != "message"), Is.Empty, "no join or leave for the subscriber who did not ask");
            Assert.That(plain.Messages, Is.EqualTo(messages), "the messages, once each, in order");
            Assert.That(Published(asked.Items), Is.EqualTo(expected), "the watcher gets joins, leaves and messages, once each, in order");
        });

        // What the test published, as "m3" or "join:u0", leaving out the joins of the two subscribers themselves.
        static List<string> Published(IEnumerable<SseItem<string>> items) =>
            [.. items
                .Select(x => x.EventType == "message" ? x.Data : Changes([x]).SingleOrDefault())
                .Where(e => e is not null && (e.StartsWith('m') || e.Contains(":u", StringComparison.Ordinal)))
                .Select(e => e!)];
    }

    [Test]
    public async Task JoinLeave_OnlyForSubscribersWhoAsked()
    {
        var room = NewRoom();
        await using var asked = await SubscribeAsync(_server.Client, room, "watcher", "joinLeave=1");
        await using var plain = await SubscribeAsync(_server.Client, room, "reader");
        await using var ann = await SubscribeAsync(_server.Client, room, "ann");
        await asked.WaitForAsync(i => Changes(asked).Contains("join:ann"), "ann's join");

        using var published = await _server.Client.PostAsync($"/rooms/{room}?text=hello", null);
        published.EnsureSuccessStatusCode();

        var items = await plain.WaitForAsync(i => i.Any(x => x.Data == "hello"), "the published message");
        Assert.That(items.Select(i => i.EventType), Is.EqualTo(new[] { "message" }), "no join or leave for a subscriber who did not ask");
    }

    [Test]
    public async Task Publish_JoinOrLeaveEventOnAPresenceChannel_IsRefused()
    {
        var channel = PresenceSite.Runtime(_server).Channels.Channel(NewRoom());

        Assert.Multiple(() =>
        {
            Assert.That(() => channel.Publish("x", "join"), Throws.ArgumentException.With.Message.Contains("'join' and 'leave'"));
            Assert.That(() => PresenceSite.Runtime(_server).Channels.Channel("lobby").Presence(), Throws.InvalidOperationException.With.Message.Contains("channels.presence"));
        });
    }

    [Test]
    public async Task Stream_AskingForJoinLeaveOnAChannelWithoutPresence_Fails()
    {
        await using var listener = await SubscribeAsync(_server.Client, "lobby", "ann", "joinLeave=1");

        Assert.That(listener.Status, Is.EqualTo(HttpStatusCode.InternalServerError), "a developer error: the channel is not in channels.presence");
    }
}
