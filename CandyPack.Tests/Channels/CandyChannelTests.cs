using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Channels;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Channels;

/// <summary>Publishing and subscribing, in process, over real Kestrel sockets.</summary>
[TestFixture]
public sealed class CandyChannelTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(ChannelSite.Definition("channels-wide"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static string NewChannel() => "test-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task Publish_ManySubscribers_EachReceivesEveryMessageInOrder()
    {
        var name = NewChannel();
        var listeners = new List<SseListener>();
        for (var i = 0; i < 8; i++)
        {
            listeners.Add(await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream"));
        }

        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        await WaitForSubscribersAsync(channel, 8);

        for (var n = 1; n <= 200; n++)
        {
            await channel.Publish(new { n });
        }

        var expected = Enumerable.Range(1, 200).ToList();
        foreach (var listener in listeners)
        {
            var received = await listener.WaitForMessagesAsync(200);
            Assert.That(received.Select(Number), Is.EqualTo(expected));
            Assert.That(listener.Items.Select(i => i.EventId).Distinct().Count(), Is.EqualTo(200), "every message has its own id");
            await listener.DisposeAsync();
        }
    }

    [TestCase(3, new[] { 3, 4, 5, 6 })]
    [TestCase(10, new[] { 1, 2, 3, 4, 5, 6 })]
    [TestCase(0, new[] { 6 })]
    public async Task Stream_WithRecent_NewcomerGetsTheNewestKept_ThenLive_WithoutGapOrRepeat(int recent, int[] expected)
    {
        var channel = ChannelSite.Runtime(_server).Channels.Channel(NewChannel());
        for (var n = 1; n <= 5; n++)
        {
            await channel.Publish(new { n });
        }

        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/recent/{recent}");
        await WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 6 });
        var received = await listener.WaitForMessagesAsync(expected.Length);

        Assert.Multiple(() =>
        {
            Assert.That(received.Select(Number), Is.EqualTo(expected));
            Assert.That(listener.Items.Select(i => i.EventId).Distinct().Count(), Is.EqualTo(expected.Length), "each with its own id, to resume from");
        });
    }

    [Test]
    public async Task Resume_WhilePublishing_ReplaysMissedThenLive_WithoutDuplicateOrGap()
    {
        var channel = ChannelSite.Runtime(_server).Channels.Channel(NewChannel());
        var ids = new List<string>();
        for (var n = 1; n <= 3; n++)
        {
            ids.Add(await channel.Publish(new { n }));
        }

        // Resume after message 1 while a publisher keeps going: it publishes until the subscription exists and 100
        // more after, so the replay of what was missed overlaps live publishing. The history (10,000) outlasts the wait.
        var publisher = Task.Run(async () =>
        {
            var n = 3;
            while (channel.LocalSubscribers == 0 && n < 5_000)
            {
                await channel.Publish(new { n = ++n });
                await Task.Delay(1);
            }

            for (var i = 0; i < 100; i++)
            {
                await channel.Publish(new { n = ++n });
            }

            return n;
        });
        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{channel.Name}/stream", lastEventId: ids[0]);
        var last = await publisher;

        var received = (await listener.WaitForMessagesAsync(last - 1)).Select(CandyChannelTests.Number).ToList();
        Assert.That(received, Is.EqualTo(Enumerable.Range(2, last - 1).ToList()));
    }

    [Test]
    public async Task Publish_IdsIncrease_AndEventNameIsSent()
    {
        var name = NewChannel();
        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        await WaitForSubscribersAsync(channel, 1);

        var first = await channel.Publish("plain text");
        var second = await channel.Publish(new { kind = "order" }, "order");

        var items = await listener.WaitForAsync(i => i.Count >= 2, "two events");
        Assert.Multiple(() =>
        {
            Assert.That(items[0].Data, Is.EqualTo("plain text"));
            Assert.That(items[0].EventId, Is.EqualTo(first));
            Assert.That(items[1].EventType, Is.EqualTo("order"));
            Assert.That(items[1].Data, Is.EqualTo("""{"kind":"order"}"""));
            Assert.That(items[1].EventId, Is.EqualTo(second));
            Assert.That(CompareIds(second, first), Is.Positive);
        });
    }

    [Test]
    public async Task Publish_FromBackgroundService_ThroughDependencyInjection()
    {
        var name = NewChannel();
        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        var channels = ChannelSite.Runtime(_server).Services.GetRequiredService<ICandyChannels>();
        await WaitForSubscribersAsync(channels.Channel(name), 1);

        await channels.Channel(name).Publish(new { from = "background" });

        Assert.That(await listener.WaitForMessagesAsync(1), Is.EqualTo(new[] { """{"from":"background"}""" }));
    }

    [Test]
    public async Task Publish_OverHttp_ReachesSubscriber()
    {
        var name = NewChannel();
        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        await WaitForSubscribersAsync(ChannelSite.Runtime(_server).Channels.Channel(name), 1);

        using var response = await _server.Client.PostAsJsonAsync($"/channels/{name}", new { title = "hi" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await listener.WaitForMessagesAsync(1), Is.EqualTo(new[] { """{"title":"hi"}""" }));
    }

    [Test]
    public async Task StreamOfObject_ThatIsAChannel_Subscribes()
    {
        var name = NewChannel();
        await using var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/object");
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        await WaitForSubscribersAsync(channel, 1);

        await channel.Publish("via object");

        Assert.That(await listener.WaitForMessagesAsync(1), Is.EqualTo(new[] { "via object" }));
    }

    [Test]
    public async Task Disconnect_RemovesSubscriber()
    {
        var name = NewChannel();
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        var listener = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");
        await WaitForSubscribersAsync(channel, 1);

        await listener.DisposeAsync();

        Assert.That(await Eventually.TrueAsync(() => channel.LocalSubscribers == 0), Is.True, "the closed stream left the channel");
    }

    [Test]
    public void Publish_ReservedEventName_Throws()
    {
        var channel = ChannelSite.Runtime(_server).Channels.Channel(NewChannel());

        Assert.Multiple(() =>
        {
            Assert.That(() => channel.Publish("x", "end"), Throws.ArgumentException.With.Message.Contains("reserved"));
            Assert.That(() => channel.Publish("x", "reset"), Throws.ArgumentException.With.Message.Contains("reserved"));
            Assert.That(() => channel.Publish("x", "two\nlines"), Throws.ArgumentException);
        });
    }

    [Test]
    public void Channel_InvalidName_Throws()
    {
        var channels = ChannelSite.Runtime(_server).Channels;

        Assert.Multiple(() =>
        {
            Assert.That(() => channels.Channel(string.Empty), Throws.ArgumentException);
            Assert.That(() => channels.Channel("a\nb"), Throws.ArgumentException);
            Assert.That(() => channels.Channel(new string('x', 201)), Throws.ArgumentException);
        });
    }

    [Test]
    public async Task SlowConsumer_IsDisconnected_OthersKeepReceiving()
    {
        var name = NewChannel();
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/stream");

        // A client that connects and never reads: its socket buffers fill, then its queue of 1024 messages.
        using var stalled = new System.Net.Sockets.TcpClient();
        await stalled.ConnectAsync(_server.Address.Host, _server.Address.Port);
        await stalled.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /channels/{name}/stream HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        await WaitForSubscribersAsync(channel, 2);

        var payload = new string('x', 4096);
        var sent = 0;
        while (channel.LocalSubscribers == 2 && sent < 100_000)
        {
            await channel.Publish(payload);
            sent++;
            if (sent % 256 == 0)
            {
                // Let the reader drain as a well-behaved client does.
                await reader.WaitForMessagesAsync(sent);
            }
        }

        Assert.That(channel.LocalSubscribers, Is.EqualTo(1), "the stalled client was dropped");
        Assert.That(await Eventually.TrueAsync(() => _server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "slow consumer")), Is.True);
        await channel.Publish("after");
        await reader.WaitForAsync(i => i.Count > 0 && i[^1].Data == "after", "the message published after the slow consumer left");
    }

    internal static int Number(string json) => JsonDocument.Parse(json).RootElement.GetProperty("n").GetInt32();

    /// <summary>Orders message ids as the framework does, including the ids an instance gives while Redis is away.</summary>
    internal static int CompareIds(string left, string right)
    {
        static ChannelMessageId Parse(string id)
        {
            if (!ChannelMessageId.TryParse(id, out var parsed))
            {
                Assert.Fail($"'{id}' is not a channel message id");
            }

            return parsed;
        }

        return Parse(left).CompareTo(Parse(right));
    }

    internal static async Task WaitForSubscribersAsync(CandyChannel channel, int count)
    {
        if (!await Eventually.TrueAsync(() => channel.LocalSubscribers >= count))
        {
            Assert.Fail($"Channel {channel.Name} has {channel.LocalSubscribers} subscribers, not {count}.");
        }
    }
}
