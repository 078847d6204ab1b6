using System.Net;
using System.Security.Claims;
using System.Text.Json;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Namespaces.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Namespaces;

/// <summary>
/// <c>channels.namespaces</c> as a subscriber notices it, over real Kestrel: history by namespace (the longest prefix
/// wins), presence and join/leave, the subscriber limit, anonymous subscribers refused, and the old presence list.
/// </summary>
[TestFixture]
public sealed class ChannelNamespaceTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(NamespaceSite.WithConfig(NamespaceSite.Config()));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private CandyChannel Channel(string name) => NamespaceSite.Runtime(_server).Channels.Channel(name);

    [Test]
    public async Task History_FollowsTheNamespace_ResumeBeyondAShortHistoryGetsReset()
    {
        // "short:" keeps 2, "short:long:" (the longer prefix) 8, a channel of no namespace the flat 5.
        var channels = new[] { "short:", "short:long:", "plain:" }.Select(prefix => (Prefix: prefix, Name: NamespaceSite.NewChannel(prefix))).ToList();
        var seventh = new Dictionary<string, string>();
        foreach (var (prefix, name) in channels)
        {
            for (var n = 1; n <= 10; n++)
            {
                var id = await Channel(name).Publish(new { n });
                if (n == 7)
                {
                    seventh[prefix] = id;
                }
            }
        }

        // From the 7th message: within 8 and within 5, but the short history keeps only the 9th and 10th.
        var results = new Dictionary<string, string>();
        foreach (var (prefix, name) in channels)
        {
            await using var listener = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream", lastEventId: seventh[prefix]);
            var items = await listener.WaitForAsync(i => i.Count >= 1 && (i[0].EventType == "reset" || i.Count >= 3), $"a replay or a reset on {name}");
            results[prefix] = items[0].EventType == "reset" ? "reset" : string.Join(",", items.Select(i => CandyChannelTests.Number(i.Data)));
        }

        Assert.That(results, Is.EqualTo(new Dictionary<string, string>
        {
            ["short:"] = "reset",
            ["short:long:"] = "8,9,10",
            ["plain:"] = "8,9,10",
        }));
    }

    [Test]
    public async Task Presence_OnInANamespace_ListsUsers_AndJoinLeaveReachesEverySubscriber()
    {
        var room = NamespaceSite.NewChannel("room:");
        await using var ann = await SseListener.OpenAsync(_server.Client, $"/ns/{room}/stream", headers: NamespaceSite.As("ann"));
        await CandyChannelTests.WaitForSubscribersAsync(Channel(room), 1);
        await using var bob = await SseListener.OpenAsync(_server.Client, $"/ns/{room}/stream", headers: NamespaceSite.As("bob"));

        // Ann's subscription asked for nothing; the namespace's joinLeave gives her bob's join.
        var items = await ann.WaitForAsync(i => i.Any(e => e.EventType == "join" && e.Data.Contains("\"bob\"", StringComparison.Ordinal)), "bob's join");
        var members = await Eventually.TrueAsync(async () => (await Channel(room).Presence()).Count == 2);
        Assert.Multiple(() =>
        {
            Assert.That(members, Is.True, "ann and bob listed");
            Assert.That(items.Where(i => i.EventType == "join").Select(i => JsonDocument.Parse(i.Data).RootElement.GetProperty("userId").GetString()), Does.Contain("bob"));
        });
    }

    [Test]
    public async Task Presence_TheOldPresenceList_StillWorks_AndOtherChannelsKeepNone()
    {
        var listed = NamespaceSite.NewChannel("listed:");
        await using var ann = await SseListener.OpenAsync(_server.Client, $"/ns/{listed}/stream", headers: NamespaceSite.As("ann"));

        Assert.That(await Eventually.TrueAsync(async () => (await Channel(listed).Presence()).Any(m => m.UserId == "ann")), Is.True, "ann listed on a channels.presence channel");
        var none = await Assert.ThrowsAsync<InvalidOperationException>(() => Channel(NamespaceSite.NewChannel("plain:")).Presence());
        Assert.That(none!.Message, Does.Contain("channels.presence").And.Contain("\"presence\": true"));
    }

    [Test]
    public async Task MaxSubscribers_TheNextSubscriberIsRefusedWith503_UntilOneLeaves()
    {
        var name = NamespaceSite.NewChannel("limited:");
        var first = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream");
        await using var second = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream");
        await CandyChannelTests.WaitForSubscribersAsync(Channel(name), 2);

        await using (var third = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream"))
        {
            Assert.Multiple(async () =>
            {
                Assert.That(third.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(third.Headers.RetryAfter, Is.Not.Null);
                Assert.That(await third.ReadRefusalAsync(), Does.Contain("maxSubscribers").And.Contain(name));
            });
        }

        await first.DisposeAsync();
        Assert.That(await Eventually.TrueAsync(() => Channel(name).LocalSubscribers == 1), Is.True, "the first subscriber left");
        await using var again = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream");
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.OK), "a place is free again");
    }

    [Test]
    public async Task AllowAnonymousFalse_RefusesARequestWithoutUser_With401()
    {
        var name = NamespaceSite.NewChannel("members:");

        await using var anonymous = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream");
        await using var member = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream", headers: NamespaceSite.As("ann"));
        await using var elsewhere = await SseListener.OpenAsync(_server.Client, $"/ns/{NamespaceSite.NewChannel("plain:")}/stream");

        Assert.Multiple(async () =>
        {
            Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await anonymous.ReadRefusalAsync(), Does.Contain("allowAnonymous"));
            Assert.That(member.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(elsewhere.Status, Is.EqualTo(HttpStatusCode.OK), "other namespaces take anonymous subscribers");
        });
    }

    [Test]
    public async Task AllowAnonymousFalse_ASubscribeTokenIsTheUser()
    {
        var name = NamespaceSite.NewChannel("members:");
        var ann = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "ann")], "Test"));
        var token = Channel(name).Token(ann, TimeSpan.FromMinutes(1));

        await using var withToken = await SseListener.OpenAsync(_server.Client, $"/ns/{name}/stream?token={Uri.EscapeDataString(token)}");

        Assert.That(withToken.Status, Is.EqualTo(HttpStatusCode.OK), "an EventSource with a token subscribes as its user");
    }
}
