using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// A publish whose append times out while its private redis-server holds every client's commands (<c>CLIENT PAUSE</c>,
/// longer than the command timeout) and then runs it: the message is delivered here at once, and once Redis is back
/// it is neither appended again nor delivered a second time under its Redis id. In process, over real Kestrel sockets.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RedisPublishTimeoutTests
{
    [Test]
    public async Task AppendTimesOutButRuns_MessageDeliveredOnce_AndKeptOnceInTheStream()
    {
        await using var redis = await RedisServerProcess.StartAsync(TestServices.RedisServer);
        var folder = Directory.CreateTempSubdirectory("candy-timeout-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), $$"""
            { "redis": "{{redis.Configuration}},asyncTimeout=300" }
            """);
        await using var server = await CandyServer.StartAsync(new SiteDefinition(folder, typeof(ChannelSite).Assembly, typeof(ChannelSite).Namespace));
        try
        {
            var channels = ChannelSite.Runtime(server).Channels;
            var name = RedisScaleOutTests.NewUser();
            await using var reader = await SseListener.OpenAsync(server.Client, $"/channels/{name}/stream");
            await CandyChannelTests.WaitForSubscribersAsync(channels.Channel(name), 1);
            await channels.Channel(name).Publish(new { n = 1 });
            await reader.WaitForMessagesAsync(1);

            // Held past the 300 ms timeout: the append of 2 times out, then runs when the pause ends.
            redis.PauseClients(2000);
            await channels.Channel(name).Publish(new { n = 2 });
            await channels.Channel(name).Publish(new { n = 3 });
            await reader.WaitForMessagesAsync(3);

            var back = await Eventually.TrueAsync(() => server.Logs.Entries.Any(e => e.Message.Contains("is back", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
            await channels.Channel(name).Publish(new { n = -1 });
            await reader.WaitForAsync(i => SseReader.Messages(i).Select(CandyChannelTests.Number).Contains(-1), "the closing message", TimeSpan.FromSeconds(30));

            // The closing message reaches the stream at the latest with the next catch-up.
            var stream = new List<int>();
            await Eventually.TrueAsync(async () => (stream = await ReadStreamAsync(redis, name)).Contains(-1), TimeSpan.FromSeconds(30));
            Assert.Multiple(() =>
            {
                Assert.That(back, Is.True, "the backplane caught up after the pause");
                Assert.That(reader.Messages.Select(CandyChannelTests.Number), Is.EqualTo(new[] { 1, 2, 3, -1 }), "every message once, in order: " + SseListener.Describe(reader.Items));
                Assert.That(reader.Items.Select(i => i.EventId), Is.Unique);
                Assert.That(stream.Order(), Is.EqualTo(new[] { -1, 1, 2, 3 }), "each message kept once in the stream: " + string.Join(", ", stream));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The numbers of the messages in the channel's Redis stream.</summary>
    private static async Task<List<int>> ReadStreamAsync(RedisServerProcess redis, string channel)
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var key = connection.GetServer(redis.Configuration).Keys(pattern: "candy:*:channel:" + channel).Single();
        var entries = await connection.GetDatabase().StreamRangeAsync(key);
        return [.. entries.Select(e => CandyChannelTests.Number((string)e["d"]!))];
    }
}
