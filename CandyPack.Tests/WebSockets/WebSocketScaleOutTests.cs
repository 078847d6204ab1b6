using System.Net.WebSockets;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.WebSockets;

/// <summary>
/// Two CandyPack.Host processes serving the example site share Redis: WebSocket subscribers get the same messages and
/// ids as SSE ones, a client moves between instances and transports without loss, and SIGTERM closes with 1001.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WebSocketScaleOutTests
{
    [Test]
    public async Task Publish_OnOneInstance_ReachesWebSocketAndSseSubscribers_WithOneId()
    {
        await using var a = await RedisScaleOutTests.StartHostAsync();
        await using var b = await RedisScaleOutTests.StartHostAsync();
        var user = RedisScaleOutTests.NewUser();
        await using var onA = await SubscribeAsync(a, user);
        await using var onB = await RedisScaleOutTests.SubscribeAsync(b, user);

        var id = await RedisScaleOutTests.PublishAsync(b, user, 1);

        var overWebSocket = (await onA.WaitForAsync(f => f.Count >= 1, "the message on instance A"))[0];
        var overSse = (await onB.WaitForAsync(i => i.Count >= 1, "the message on instance B"))[0];
        Assert.Multiple(() =>
        {
            Assert.That(overWebSocket.Id, Is.EqualTo(id));
            Assert.That(overSse.EventId, Is.EqualTo(id));
            Assert.That(CandyChannelTests.Number(overWebSocket.DataText), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SseOnAKilledInstance_ResumesOverWebSocketOnTheOther_LosingNothing()
    {
        var a = await RedisScaleOutTests.StartHostAsync();
        await using var b = await RedisScaleOutTests.StartHostAsync();
        var user = RedisScaleOutTests.NewUser();
        var received = new List<int>();
        string lastId;
        await using (var onA = await RedisScaleOutTests.SubscribeAsync(a, user))
        {
            for (var n = 1; n <= 3; n++)
            {
                await RedisScaleOutTests.PublishAsync(a, user, n);
            }

            var items = await onA.WaitForAsync(i => i.Count >= 3, "three messages on A");
            received.AddRange(items.Select(i => CandyChannelTests.Number(i.Data)));
            lastId = items[^1].EventId!;
            await a.KillAsync();
            await a.DisposeAsync();
        }

        for (var n = 4; n <= 6; n++)
        {
            await RedisScaleOutTests.PublishAsync(b, user, n);
        }

        await using var onB = await SubscribeAsync(b, user, lastId);
        await RedisScaleOutTests.PublishAsync(b, user, 7);
        var resumed = await onB.WaitForAsync(f => f.Count >= 4, "the missed messages, then the live one");
        received.AddRange(resumed.Select(f => CandyChannelTests.Number(f.DataText)));

        Assert.That(resumed.Select(f => f.Event), Has.All.Null, "no reset: the shared history reaches back");
        Assert.That(received, Is.EqualTo(Enumerable.Range(1, 7).ToList()));
    }

    [Test]
    public async Task HostStoppedBySigterm_ClosesWebSocketsWith1001_WithoutEnd()
    {
        await using var host = await RedisScaleOutTests.StartHostAsync();
        var user = RedisScaleOutTests.NewUser();
        await using var socket = await SubscribeAsync(host, user);
        await RedisScaleOutTests.PublishAsync(host, user, 1);
        await socket.WaitForAsync(f => f.Count >= 1, "a message");

        await host.StopAsync(TimeSpan.FromSeconds(60));
        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
            Assert.That(socket.Frames.Select(f => f.Event), Has.None.EqualTo("end"), "no end: the client reconnects elsewhere");
        });
    }

    private static Task<WebSocketListener> SubscribeAsync(HostInstance host, string user, string? lastEventId = null) =>
        WebSocketListener.ConnectAsync(
            host.Address,
            $"/notifications/user/{user}/stream" + (lastEventId is null ? string.Empty : $"?lastEventId={lastEventId}"),
            options => options.SetRequestHeader("Cookie", "user=" + user));
}
