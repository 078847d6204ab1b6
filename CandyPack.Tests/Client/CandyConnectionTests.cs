using System.Net;
using CandyPack.Client;
using CandyPack.Tests.Client.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Client.ClientReading;

namespace CandyPack.Tests.Client;

/// <summary>
/// <see cref="CandyConnection{T}"/>: a stream route open over WebSocket that the client also sends on, and the transport
/// <see cref="CandyTransport.Auto"/> picks, behind a proxy that carries WebSocket and one that refuses it.
/// </summary>
[TestFixture]
public sealed class CandyConnectionTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(ClientSite.WithConfig("{}"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task SendAsync_ReachesTheStreamsMessageHandler_AndItsAnswerComesBack()
    {
        var client = new CandyClient(_server.Client);
        await using var connection = await client.Connect<string>("/echo");
        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(connection.Messages, deadline);

        Assert.That(await connection.SendAsync("hi"), Is.True);
        Assert.That(await connection.SendAsync(new Item(1, "one")), Is.True);

        Assert.That((await TakeAsync(messages, 2)).Select(m => m.Data), Is.EqualTo(new[] { "echo: hi", """echo: {"n":1,"name":"one"}""" }));
    }

    [Test]
    public async Task SendAsync_AfterDispose_Throws()
    {
        var client = new CandyClient(_server.Client);
        var connection = await client.Connect<string>("/echo");

        await connection.DisposeAsync();

        Assert.That(async () => await connection.SendAsync("late"), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public async Task Connect_ToARouteThatDoesNotExist_ThrowsWith404()
    {
        var client = new CandyClient(_server.Client);

        var missing = await Assert.ThrowsAsync<CandyClientException>(async () => await client.Connect<string>("/no/such/stream"));

        Assert.That(missing!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void Connect_WithTransportSse_ThrowsSayingSendingNeedsWebSocket()
    {
        var client = new CandyClient(_server.Client, new CandyClientOptions { Transport = CandyTransport.Sse });

        Assert.That(async () => await client.Connect<string>("/echo"), Throws.InvalidOperationException.With.Message.Contain("WebSocket"));
    }

    [TestCase(CandyTransport.Sse, "sse")]
    [TestCase(CandyTransport.WebSocket, "websocket")]
    [TestCase(CandyTransport.Auto, "websocket")]
    public async Task Listen_ComesOverTheTransportItWasGiven(CandyTransport transport, string expected)
    {
        var client = new CandyClient(_server.Client, new CandyClientOptions { Transport = transport });

        var messages = await ReadToEndAsync(ct => client.Listen("/transport", ct));

        Assert.That(messages.Select(m => m.Data), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public async Task Auto_BehindAProxyThatRefusesUpgrades_ReadsOverSse_AndStaysThere()
    {
        await using var proxy = new TcpProxy(_server.Address.Port) { RefuseUpgrades = true };
        proxy.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}") };
        var client = new CandyClient(http, new CandyClientOptions { ReconnectDelay = TimeSpan.FromMilliseconds(20) });

        var first = await ReadToEndAsync(ct => client.Listen("/transport", ct));
        var second = await ReadToEndAsync(ct => client.Listen("/transport", ct));

        Assert.That(first.Concat(second).Select(m => m.Data), Is.EqualTo(new[] { "sse", "sse" }));
        Assert.That(client.SseOnly, Is.True, "once SSE opened where WebSocket did not, Auto goes straight to SSE");
    }
}
