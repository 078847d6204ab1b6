using System.Net;
using CandyPack.Client;
using CandyPack.Tests.Presence.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Client.ClientReading;
using static CandyPack.Tests.Presence.PresenceClient;

namespace CandyPack.Tests.Client;

/// <summary>
/// Who <see cref="CandyClient"/> connects as, on each transport, against the presence test site (the <c>X-User</c>
/// header names the user): the HttpClient's default headers, and subscribe tokens from a provider asked before every
/// connection.
/// </summary>
[TestFixture(CandyTransport.Sse)]
[TestFixture(CandyTransport.WebSocket)]
public sealed class CandyClientIdentityTests(CandyTransport transport)
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(PresenceSite.Definition());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task HttpClientDefaultHeaders_AuthenticateTheStream()
    {
        var room = NewRoom();
        using var http = new HttpClient { BaseAddress = _server.Address };
        http.DefaultRequestHeaders.Add(HeaderAuthentication.Header, "ann");
        var client = new CandyClient(http, new CandyClientOptions { Transport = transport });
        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(client.Listen($"/rooms/{room}/stream"), deadline);
        var next = messages.MoveNextAsync().AsTask();

        var members = await WaitForPresenceAsync(_server.Client, room, m => m.Count == 1, "ann, from the header");

        Assert.That(members[0].UserId, Is.EqualTo("ann"));
        await deadline.CancelAsync();
        Assert.That(async () => await next, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task TokenProvider_SubscribesAsTheTokensUser_AndIsAskedAgainForAReconnect()
    {
        var room = NewRoom();
        await using var proxy = new TcpProxy(_server.Address.Port);
        proxy.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}") };
        var client = new CandyClient(http, new CandyClientOptions { Transport = transport, ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) });
        var asked = 0;
        var listen = new CandyListenOptions
        {
            Token = async ct =>
            {
                Interlocked.Increment(ref asked);
                return await TokenAsync(_server.Client, room, "bob");
            },
        };
        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(client.Listen($"/rooms/{room}/stream", listen), deadline);
        var next = messages.MoveNextAsync().AsTask();
        var members = await WaitForPresenceAsync(_server.Client, room, m => m.Count == 1, "bob, from the token");

        proxy.Stop();
        await WaitForPresenceAsync(_server.Client, room, m => m.Count == 0, "bob gone with the cut connection");
        proxy.Start();
        await WaitForPresenceAsync(_server.Client, room, m => m.Count == 1, "bob back after the reconnect");

        Assert.That(members[0].UserId, Is.EqualTo("bob"));
        Assert.That(asked, Is.GreaterThanOrEqualTo(2), "a fresh token for every connection");
        await deadline.CancelAsync();
        Assert.That(async () => await next, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task TokenForAnotherChannel_Throws401_WithoutRetrying()
    {
        var room = NewRoom();
        var token = await TokenAsync(_server.Client, NewRoom(), "ann");
        var retries = 0;
        var client = new CandyClient(_server.Client, new CandyClientOptions { Transport = transport, OnRetry = _ => retries++ });

        var refused = await Assert.ThrowsAsync<CandyClientException>(async () =>
            await ReadToEndAsync(ct => client.Listen($"/rooms/{room}/stream", new CandyListenOptions { Token = _ => ValueTask.FromResult<string?>(token) }, ct)));

        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(retries, Is.Zero);
    }
}
