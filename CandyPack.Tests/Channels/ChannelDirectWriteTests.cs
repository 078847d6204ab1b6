using System.Text.Json;
using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Channels;

/// <summary>
/// A publish writes into each subscriber's connection from the publishing side: a subscriber that stops reading holds
/// up no publish and costs the others nothing, and concurrent publishes into connections that are backed up still
/// reach every subscriber complete and in id order.
/// </summary>
[TestFixture]
public sealed class ChannelDirectWriteTests
{
    private CandyServer _server = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // A queue that holds everything the tests publish and no write deadline: nothing but the publishers' own work can end a subscription.
        _folder = Path.Combine(Path.GetTempPath(), "candy-tests", "channels-direct-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(
            Path.Combine(_folder, "config.json"),
            """{ "stream": { "queue": 4096, "queueBytes": 67108864, "heartbeat": 0, "writeTimeout": 0 }, "channels": { "history": 10000, "historyAge": 300 } }""");
        _server = await CandyServer.StartAsync(new SiteDefinition(_folder, typeof(ChannelSite).Assembly, typeof(ChannelSite).Namespace));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Publish_WithASubscriberThatNeverReads_NeverWaitsForIt_AndTheOthersGetEveryMessageInOrder()
    {
        const int Count = 3000;
        var name = "direct-" + Guid.NewGuid().ToString("N");
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);
        var key = Guid.NewGuid().ToString("N");
        await using var reader = await SseListener.OpenAsync(_server.Client, $"/channels/{name}/held?key={key}");
        // A subscriber that sends its request and then never reads, with a small receive window.
        using var stalled = await RawHttp.OpenAsync(_server.Address, $"/channels/{name}/stream", receiveBuffer: 4096);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 2);

        // 12 MB: far more than the stalled client's socket and Kestrel's buffers can take, so its flushes stay pending.
        var pad = new string('x', 4096);
        var publishing = Task.Run(async () =>
        {
            for (var n = 1; n <= Count; n++)
            {
                await channel.Publish(new { n, pad });
            }
        });
        Assert.That(
            await Task.WhenAny(publishing, Task.Delay(TimeSpan.FromSeconds(60))),
            Is.SameAs(publishing),
            "a publish waited for the subscriber that does not read");
        await publishing;

        Assert.That(channel.LocalSubscribers, Is.EqualTo(2), "the subscriber that does not read was dropped, though its queue had room");
        var received = await reader.WaitForMessagesAsync(Count, TimeSpan.FromSeconds(60));
        Assert.That(received.Select(CandyChannelTests.Number), Is.EqualTo(Enumerable.Range(1, Count)));

        // The reader keeps up, so its connection was mostly idle when a publish came: the publisher wrote into it.
        Assert.That(Site.Route.Www.Held[key].WrittenDirectly, Is.Positive, "no message went straight into the reader's idle connection from the publishing side");
    }

    [Test]
    public async Task ConcurrentPublishers_IntoBackedUpConnections_EverySubscriberGetsEveryMessageOnceInIdOrder()
    {
        const int Publishers = 4;
        const int Count = 500;
        var name = "direct-" + Guid.NewGuid().ToString("N");
        var channel = ChannelSite.Runtime(_server).Channels.Channel(name);

        // Subscribers whose body is not read until every publish has returned: their connections back up first.
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await _server.OpenStreamAsync($"/channels/{name}/stream"));
        }

        await CandyChannelTests.WaitForSubscribersAsync(channel, 3);
        var pad = new string('x', 2048);
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(publisher => Task.Run(async () =>
        {
            for (var n = 0; n < Count; n++)
            {
                await channel.Publish(new { publisher, n, pad });
            }
        }))).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var response in responses)
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var items = await SseReader.ReadAsync(body, Publishers * Count).WaitAsync(TimeSpan.FromSeconds(60));
            var ids = items.Select(i => i.EventId!).ToList();
            Assert.That(ids, Is.Ordered.Using<string>(CandyChannelTests.CompareIds), "messages arrived out of id order");
            Assert.That(ids.Distinct().Count(), Is.EqualTo(Publishers * Count), "a message arrived twice or not at all");
            var messages = items.Select(i => JsonDocument.Parse(i.Data).RootElement).ToList();
            for (var publisher = 0; publisher < Publishers; publisher++)
            {
                var numbers = messages.Where(m => m.GetProperty("publisher").GetInt32() == publisher).Select(m => m.GetProperty("n").GetInt32());
                Assert.That(numbers, Is.EqualTo(Enumerable.Range(0, Count)), $"publisher {publisher}'s messages are out of order");
            }

            response.Dispose();
        }
    }
}
