using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Api.ApiRequests;

namespace CandyPack.Tests.Api;

/// <summary>
/// A site with the server API whose Redis is unreachable when it starts (nothing listens on port 1): it starts, as a
/// site without the API does, and the API publishes to this instance's subscribers meanwhile.
/// </summary>
[TestFixture]
public sealed class ServerApiRedisDownTests
{
    [Test]
    public async Task RedisUnreachableAtStart_TheSiteStarts_AndTheApiPublishesHere()
    {
        await using var server = await CandyServer.StartAsync(ApiSite.WithConfig(ApiSite.Config(""", "redis": "127.0.0.1:1" """)));
        var room = NewRoom();
        await using var subscriber = await SubscribeAsync(server.Client, room);

        var id = await PublishAsync(server.Client, room, new { n = 1 });

        var items = await subscriber.WaitForAsync(i => i.Count >= 1, "the message published while Redis is away");
        Assert.That(items[0].EventId, Is.EqualTo(id));
    }
}
