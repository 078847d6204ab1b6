using System.Net;
using CandyPack.Client;
using CandyPack.Tests.Client.Site;
using CandyPack.Tests.Client.Site.Route;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Client.ClientReading;

namespace CandyPack.Tests.Client;

/// <summary>
/// <see cref="CandyClient"/> against the real host on each transport: a finite JSON stream to its end, named events
/// and ids, a channel's messages, refusals that are not retried and failures that are.
/// </summary>
[TestFixture(CandyTransport.Sse)]
[TestFixture(CandyTransport.WebSocket)]
public sealed class CandyClientTests(CandyTransport transport)
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(ClientSite.WithConfig("""{ "stream": { "heartbeat": 30 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private CandyClient NewClient(List<Exception>? retries = null) => new(_server.Client, new CandyClientOptions
    {
        Transport = transport,
        ReconnectDelay = TimeSpan.FromMilliseconds(50),
        OnRetry = e =>
        {
            lock (retries ?? [])
            {
                retries?.Add(e);
            }
        },
    });

    [Test]
    public async Task Listen_JsonStream_ReadsEveryItem_ThenEndsTheEnumeration()
    {
        var client = NewClient();

        var messages = await ReadToEndAsync(ct => client.Listen<Item>("/items", ct));

        Assert.That(messages.Select(m => m.Data), Is.EqualTo(new[] { new Item(1, "one"), new Item(2, "two"), new Item(3, "three") }));
        Assert.That(messages.Select(m => m.Event), Has.All.EqualTo("message"));
        Assert.That(messages[0].Text, Is.EqualTo("""{"n":1,"name":"one"}"""));
    }

    [Test]
    public async Task Listen_NamedEventWithId_AndAString_ComeAsSent()
    {
        var client = NewClient();

        var messages = await ReadToEndAsync(ct => client.Listen("/named", ct));

        Assert.Multiple(() =>
        {
            Assert.That(messages.Select(m => (m.Event, m.Id)), Is.EqualTo(new[] { ("tick", (string?)"7"), ("message", null) }).Or.EqualTo(new[] { ("tick", (string?)"7"), ("message", "7") }), "SSE keeps the last id for later events");
            Assert.That(messages[0].Text, Is.EqualTo("""{"n":1,"name":"one"}"""));
            Assert.That(messages[1].Data, Is.EqualTo("plain text"), "a string is its text, on either transport");
        });
    }

    [Test]
    public async Task Listen_Channel_GetsEachPublishedMessage_WithItsId()
    {
        var client = NewClient();
        var channel = ClientSite.Channel(_server, ClientSite.NewName());
        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(client.Listen<Item>($"/channels/{channel.Name}/stream"), deadline);
        var first = messages.MoveNextAsync().AsTask();
        await Channels.CandyChannelTests.WaitForSubscribersAsync(channel, 1);

        var ids = new[] { await channel.Publish(new Item(1, "one")), await channel.Publish(new Item(2, "two")) };

        Assert.That(await first, Is.True);
        var received = new List<CandyMessage<Item>> { messages.Current };
        received.AddRange(await TakeAsync(messages, 1));
        Assert.That(received.Select(m => m.Id), Is.EqualTo(ids));
        Assert.That(received.Select(m => m.Data!.N), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task Listen_Refused403_ThrowsWithTheStatus_AndAsksOnce()
    {
        var retries = new List<Exception>();
        var client = NewClient(retries);
        var key = ClientSite.NewName();

        var refused = await Assert.ThrowsAsync<CandyClientException>(async () => await ReadToEndAsync(ct => client.Listen($"/refused/{key}", ct)));

        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Www.Hits[key], Is.EqualTo(1), "a refusal is not asked again");
        Assert.That(retries, Is.Empty);
        if (transport == CandyTransport.Sse)
        {
            Assert.That(refused.Message, Does.Contain("403").And.Contain("not for you"), "the server's reason is in the message");
        }
    }

    [Test]
    public async Task Listen_UnknownRoute_Throws404()
    {
        var client = NewClient();

        var missing = await Assert.ThrowsAsync<CandyClientException>(async () => await ReadToEndAsync(ct => client.Listen("/no/such/stream", ct)));

        Assert.That(missing!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Listen_503OnConnect_IsRetried_ThenStreams()
    {
        var retries = new List<Exception>();
        var client = NewClient(retries);
        var key = ClientSite.NewName();

        var messages = await ReadToEndAsync(ct => client.Listen<Item>($"/flaky/{key}", ct));

        Assert.That(messages.Select(m => m.Data), Is.EqualTo(new[] { new Item(1, "one") }));
        Assert.That(Www.Hits[key], Is.EqualTo(2));
        Assert.That(retries, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Listen_NotAStreamRoute_ThrowsSayingSo_WithoutRetrying()
    {
        var retries = new List<Exception>();
        var client = NewClient(retries);

        var notAStream = await Assert.ThrowsAsync<CandyClientException>(async () => await ReadToEndAsync(ct => client.Listen("/plain", ct)));

        Assert.That(notAStream!.Message, Does.Contain("stream route"));
        Assert.That(notAStream.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(retries, Is.Empty);
    }
}
