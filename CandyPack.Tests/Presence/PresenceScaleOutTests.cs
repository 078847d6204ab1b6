using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Presence.PresenceClient;

namespace CandyPack.Tests.Presence;

/// <summary>
/// Two CandyPack.Host processes serving the example site's chat share Redis: presence, join/leave, subscribe tokens
/// and the per-user limit span both, and an instance killed with SIGKILL drops out of presence.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PresenceScaleOutTests
{
    /// <summary>What a stream closed by a newer one of its user receives: the documented error message, then end.</summary>
    private static readonly string[] ClosedEnding =
    [
        "message:{\"error\":\"This stream was closed: a newer stream of the same user took its place (stream.maxPerUser is 2).\"}",
        "end:",
    ];

    [Test]
    public async Task PresenceAndJoinLeave_SpanInstances()
    {
        await using var a = await RedisScaleOutTests.StartHostAsync();
        await using var b = await RedisScaleOutTests.StartHostAsync();
        var (watcher, ann, bob) = (NewName(), NewName(), NewName());
        await using var watching = await ChatAsync(a, await LoginAsync(a, watcher));
        await using var annOnA = await ChatAsync(a, await LoginAsync(a, ann));
        var bobOnB = await ChatAsync(b, await LoginAsync(b, bob));

        var members = await WaitForChatAsync(a, m => m.Any(x => x.UserId == bob) && m.Any(x => x.UserId == ann), "ann and bob listed on A");
        await watching.WaitForAsync(_ => Changes(watching).Contains("join:" + bob), "bob's join, announced from B");
        await bobOnB.DisposeAsync();
        await watching.WaitForAsync(_ => Changes(watching).Contains("leave:" + bob), "bob's leave once the grace is over");

        Assert.Multiple(() =>
        {
            Assert.That(members.Single(m => m.UserId == bob).Info.Single().GetProperty("name").GetString(), Is.EqualTo(bob));
            Assert.That(Changes(watching).Where(c => c.EndsWith(bob, StringComparison.Ordinal)), Is.EqualTo(new[] { "join:" + bob, "leave:" + bob }));
        });
    }

    [Test]
    public async Task InstanceKilled_ItsUsersDropOutOfPresence()
    {
        (string, string) timeout = ("CANDY_CHANNELS__PRESENCETIMEOUT", "3");
        await using var a = await RedisScaleOutTests.StartHostAsync(timeout);
        var b = await RedisScaleOutTests.StartHostAsync(timeout);
        var (ann, bob) = (NewName(), NewName());
        await using var annOnA = await ChatAsync(a, await LoginAsync(a, ann));
        try
        {
            var bobOnB = await ChatAsync(b, await LoginAsync(b, bob));
            await WaitForChatAsync(a, m => m.Any(x => x.UserId == bob), "bob listed while B lives");

            await b.KillAsync();
            await bobOnB.DisposeAsync();

            var members = await WaitForChatAsync(a, m => m.All(x => x.UserId != bob), "bob gone after B was killed", TimeSpan.FromSeconds(30));
            Assert.That(members.Select(m => m.UserId), Does.Contain(ann), "the live instance's users stay");
        }
        finally
        {
            await b.DisposeAsync();
        }
    }

    [Test]
    public async Task Token_IssuedOnOneInstance_IsAcceptedOnTheOther()
    {
        await using var a = await RedisScaleOutTests.StartHostAsync();
        await using var b = await RedisScaleOutTests.StartHostAsync();
        var ann = NewName();
        var cookie = await LoginAsync(a, ann);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/chat/token");
        request.Headers.Add("Cookie", cookie);
        using var response = await NoCookies(a).SendAsync(request);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();

        await using var onB = await SseListener.OpenAsync(b.Client, $"/chat/stream?token={Uri.EscapeDataString(token!)}");

        Assert.That(onB.Status, Is.EqualTo(HttpStatusCode.OK), "the keys that signed it are shared through Redis");
        await WaitForChatAsync(b, m => m.Any(x => x.UserId == ann), "the token's user listed");
    }

    [Test]
    public async Task MaxPerUser_CountsStreamsOnEveryInstance()
    {
        (string, string) limit = ("CANDY_STREAM__MAXPERUSER", "1");
        await using var a = await RedisScaleOutTests.StartHostAsync(limit);
        await using var b = await RedisScaleOutTests.StartHostAsync(limit);
        var cookie = await LoginAsync(a, NewName());
        await using var onA = await ChatAsync(a, cookie);

        await using var onB = await SseListener.OpenAsync(b.Client, "/chat/stream", cookie: cookie);

        Assert.That(onB.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task MaxPerUser_AStreamOpenLongerThanTheTimeout_StillCounts()
    {
        // Entries kept in Redis expire unless their instance refreshes them: a stream open past the expiry its entry was
        // first written with must still count, or a user's long-lived streams would silently stop counting.
        (string, string) limit = ("CANDY_STREAM__MAXPERUSER", "1");
        (string, string) timeout = ("CANDY_CHANNELS__PRESENCETIMEOUT", "2");
        await using var a = await RedisScaleOutTests.StartHostAsync(limit, timeout);
        var name = NewName();
        var cookie = await LoginAsync(a, name);
        await using var first = await ChatAsync(a, cookie);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var (key, member, written) = await UserStreamEntryAsync(redis, name);

        // The entry counts until its score, the time of its last refresh plus the 2 s timeout: a score more than one
        // timeout past the first means it was refreshed after its first expiry had passed.
        double? score = written;
        Assert.That(
            await Eventually.TrueAsync(async () => (score = await redis.GetDatabase().SortedSetScoreAsync(key, member)) > written + 2000, TimeSpan.FromSeconds(30)),
            $"the entry of the open stream was not refreshed past its first expiry {written}; its expiry is {score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "gone"}");
        await using var second = await SseListener.OpenAsync(a.Client, "/chat/stream", cookie: cookie);

        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), "the first stream is still open and counted");
    }

    [Test]
    public async Task MaxPerUser_CloseOldest_ClosesTheOldestStreamOnWhicheverInstanceItIs()
    {
        (string, string) limit = ("CANDY_STREAM__MAXPERUSER", "2");
        (string, string) policy = ("CANDY_STREAM__MAXPERUSERPOLICY", "CloseOldest");
        await using var a = await RedisScaleOutTests.StartHostAsync(limit, policy);
        await using var b = await RedisScaleOutTests.StartHostAsync(limit, policy);
        var name = NewName();
        var cookie = await LoginAsync(a, name);
        await using var first = await ChatAsync(a, cookie);
        await using var second = await ChatAsync(b, cookie);

        // A third on B closes the oldest, on A, which gets the documented ending; the second, on B, stays.
        await using var third = await ChatAsync(b, cookie);
        await first.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await AssertChatOpenAsync(a, name, second, third);

        // A fourth on A closes the one that is now the oldest, on B.
        await using var fourth = await ChatAsync(a, cookie);
        await second.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await AssertChatOpenAsync(b, name, third, fourth);
        Assert.Multiple(() =>
        {
            Assert.That(Ending(first), Is.EqualTo(ClosedEnding), SseListener.Describe(first.Items));
            Assert.That(Ending(second), Is.EqualTo(ClosedEnding), SseListener.Describe(second.Items));
            Assert.That(third.Completion.IsCompleted, Is.False, "only the oldest is closed");
        });
    }

    internal static string NewName() => "u" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The entry of <paramref name="user"/>'s one stream in Redis (<c>candy:&lt;site&gt;:user-streams:&lt;user&gt;</c>): its key, member and expiry.</summary>
    private static async Task<(StackExchange.Redis.RedisKey Key, StackExchange.Redis.RedisValue Member, double Expiry)> UserStreamEntryAsync(
        StackExchange.Redis.ConnectionMultiplexer redis, string user)
    {
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var keys = new List<StackExchange.Redis.RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"candy:*:user-streams:{user}"))
        {
            keys.Add(key);
        }

        Assert.That(keys, Has.Count.EqualTo(1), $"the per-user set of {user}");
        var entries = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(keys[0]);
        Assert.That(entries, Has.Length.EqualTo(1), $"the entries of {user}");
        return (keys[0], entries[0].Element, entries[0].Score);
    }

    /// <summary>The error messages and end events a stream received, as <c>type:data</c>: how it ended.</summary>
    private static List<string> Ending(SseListener stream) =>
        [.. stream.Items.Where(i => i.EventType == "end" || i.Data.Contains("\"error\"", StringComparison.Ordinal)).Select(i => $"{i.EventType}:{i.Data}")];

    /// <summary>Each of <paramref name="streams"/> is open: it receives a chat line said now.</summary>
    private static async Task AssertChatOpenAsync(HostInstance host, string name, params SseListener[] streams)
    {
        var text = "alive-" + Guid.NewGuid().ToString("N")[..6];
        using var client = NoCookies(host);
        using var said = await client.PostAsJsonAsync("/chat", new { name, text });
        Assert.That(said.StatusCode, Is.EqualTo(HttpStatusCode.OK), await said.Content.ReadAsStringAsync());
        foreach (var stream in streams)
        {
            await stream.WaitForAsync(items => items.Any(i => i.Data.Contains(text, StringComparison.Ordinal)), $"'{text}' on a stream that should be open");
        }
    }

    /// <summary>A client that keeps no cookies, so each test user's cookie goes only where the test sends it.</summary>
    private static HttpClient NoCookies(HostInstance host) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Signs in through the example's <c>POST /chat/login</c>; answers the cookie to send.</summary>
    internal static async Task<string> LoginAsync(HostInstance host, string name)
    {
        using var client = NoCookies(host);
        using var response = await client.PostAsJsonAsync("/chat/login", new { name });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    internal static async Task<SseListener> ChatAsync(HostInstance host, string cookie)
    {
        var listener = await SseListener.OpenAsync(host.Client, "/chat/stream", cookie: cookie);
        Assert.That(listener.Status, Is.EqualTo(HttpStatusCode.OK), $"joining the chat on {host.Address}");
        return listener;
    }

    internal static async Task<List<PresenceMember>> WaitForChatAsync(HostInstance host, Func<List<PresenceMember>, bool> condition, string what, TimeSpan? deadline = null)
    {
        using var client = NoCookies(host);
        List<PresenceMember> last = [];
        if (!await Eventually.TrueAsync(
            async () => condition(last = (await client.GetFromJsonAsync<List<PresenceMember>>("/chat/presence", JsonSerializerOptions.Web))!),
            deadline))
        {
            Assert.Fail($"Timed out waiting for {what}; presence on {host.Address} was {JsonSerializer.Serialize(last)}");
        }

        return last;
    }
}
