using CandyPack.Client;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Client.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Client.ClientReading;

namespace CandyPack.Tests.Client;

/// <summary>
/// <see cref="CandyClient"/> through a TCP proxy that cuts every connection, on each transport: it reconnects and
/// resumes after the last id, so a channel's messages arrive once each and in order; an id the history no longer
/// holds is surfaced as a reset.
/// </summary>
[TestFixture(CandyTransport.Sse)]
[TestFixture(CandyTransport.WebSocket)]
public sealed class CandyClientReconnectTests(CandyTransport transport)
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _server = await CandyServer.StartAsync(ClientSite.WithConfig("""{ "channels": { "history": 5, "historyAge": 600 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task ConnectionsCut_ClientReconnects_AndResumesAfterTheLastId_LosingAndRepeatingNothing()
    {
        await using var proxy = new TcpProxy(_server.Address.Port);
        proxy.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}") };
        var retries = 0;
        var client = new CandyClient(http, new CandyClientOptions
        {
            Transport = transport,
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
            OnRetry = _ => Interlocked.Increment(ref retries),
        });
        var channel = ClientSite.Channel(_server, ClientSite.NewName());
        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(client.Listen<Item>($"/channels/{channel.Name}/stream"), deadline);
        var firstMessage = messages.MoveNextAsync().AsTask();
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        for (var n = 1; n <= 3; n++)
        {
            await channel.Publish(new Item(n, "before"));
        }

        Assert.That(await firstMessage, Is.True);
        var received = new List<CandyMessage<Item>> { messages.Current };
        received.AddRange(await TakeAsync(messages, 2));

        proxy.Stop();
        Assert.That(await Eventually.TrueAsync(() => channel.LocalSubscribers == 0), Is.True, "the server sees the connection go");
        for (var n = 4; n <= 6; n++)
        {
            await channel.Publish(new Item(n, "while away"));
        }

        proxy.Start();
        received.AddRange(await TakeAsync(messages, 3));
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new Item(7, "after"));
        received.AddRange(await TakeAsync(messages, 1));

        Assert.That(received.Select(m => m.Data!.N), Is.EqualTo(Enumerable.Range(1, 7)), Describe(received));
        Assert.That(received.Select(m => m.Event), Has.All.EqualTo("message"), "no reset: the history reaches back");
        Assert.That(received.Select(m => m.Id).Distinct().Count(), Is.EqualTo(7));
        Assert.That(retries, Is.Positive, "the drop was reported to OnRetry");
    }

    [Test]
    public async Task LastEventIdOlderThanTheHistory_IsSurfacedAsAReset_ThenLiveMessagesFollow()
    {
        var client = new CandyClient(_server.Client, new CandyClientOptions { Transport = transport });
        var channel = ClientSite.Channel(_server, ClientSite.NewName());
        var ids = new List<string>();
        for (var n = 1; n <= 8; n++)
        {
            ids.Add(await channel.Publish(new Item(n, "old")));
        }

        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(client.Listen<Item>($"/channels/{channel.Name}/stream", new CandyListenOptions { LastEventId = ids[0] }), deadline);
        var reset = (await TakeAsync(messages, 1))[0];
        await channel.Publish(new Item(9, "live"));
        var live = (await TakeAsync(messages, 1))[0];

        Assert.Multiple(() =>
        {
            Assert.That(reset.IsReset, Is.True);
            Assert.That(reset.Event, Is.EqualTo("reset"));
            Assert.That(reset.Id, Is.EqualTo(ids[^1]), "the reset carries the newest id, which a reconnect resumes from");
            Assert.That(reset.Data, Is.Null, "a reset's data is not an Item");
            Assert.That(reset.Text, Does.Contain(ids[0]));
            Assert.That(live.IsReset, Is.False);
            Assert.That(live.Data, Is.EqualTo(new Item(9, "live")));
        });
    }
}
