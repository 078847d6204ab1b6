using CandyPack.Hosting;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CandyPack.Tests.Browser;

/// <summary>
/// candy.js choosing and switching transports in headless Chromium, against the example site: WebSocket and SSE carry
/// the same messages, `end`, error messages, `reset` and the server's retry hint; the last id survives a change of
/// transport; sending is refused clearly over SSE. Pages talk to the site through a TCP proxy the tests can cut.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CandyListenTransportTests
{
    // Counts the connections candy.js opens, by transport, around the browser's own WebSocket and fetch.
    private const string CountConnections =
        """
        () => {
          window.opened = { websocket: 0, sse: 0 };
          const Socket = WebSocket;
          window.WebSocket = class extends Socket { constructor(...args) { super(...args); opened.websocket++; } };
          const original = fetch;
          window.fetch = (...args) => { opened.sse++; return original(...args); };
        }
        """;

    private Chromium _chromium = null!;
    private CandyServer _server = null!;
    private TcpProxy _proxy = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _chromium = await Chromium.LaunchAsync();
        _server = await CandyServer.StartAsync(CandyServer.ExampleSite());
        _proxy = new TcpProxy(_server.Address.Port);
        _proxy.Start();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
        await _chromium.DisposeAsync();
    }

    [TearDown]
    public void ReopenProxy()
    {
        _proxy.RefuseUpgrades = false;
        _proxy.Stop();
        _proxy.Start();
    }

    private Uri Origin => new($"http://127.0.0.1:{_proxy.Port}");

    [Test]
    public async Task Auto_WhenAProxyStartsRefusingUpgrades_FallsBackToSse_WithoutLoss_AndStaysOnSse()
    {
        var user = RedisScaleOutTests.NewUser();
        var channel = Channel("user:" + user);
        var page = await OpenPageAsync(Origin, ("user", user));
        await ListenAsync(page, "/notifications/user/" + user + "/stream", new { reconnectDelay = 100 });
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 1 });
        await channel.Publish(new { n = 2 });
        await page.WaitForFunctionAsync("() => got.length === 2");
        Assert.That(await page.EvaluateAsync<string>("() => listener.transport"), Is.EqualTo("websocket"));

        _proxy.RefuseUpgrades = true;
        _proxy.Stop();
        await page.WaitForFunctionAsync("() => errors > 0");
        await channel.Publish(new { n = 3 });
        await channel.Publish(new { n = 4 });
        _proxy.Start();
        await page.WaitForFunctionAsync("() => listener.transport === 'sse' && got.length === 4", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await channel.Publish(new { n = 5 });
        await page.WaitForFunctionAsync("() => got.length === 5");

        // Upgrades pass again, but the page learnt that WebSocket fails here: a new drop reconnects over SSE at once.
        _proxy.RefuseUpgrades = false;
        var sockets = await page.EvaluateAsync<int>("() => opened.websocket");
        _proxy.Stop();
        await page.WaitForFunctionAsync("() => errors > 1");
        _proxy.Start();
        await page.WaitForFunctionAsync("() => opens === 3", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await channel.Publish(new { n = 6 });
        await page.WaitForFunctionAsync("() => got.length === 6");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.EvaluateAsync<int[]>("() => got.map(m => m.n)"), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(await page.EvaluateAsync<string>("() => listener.transport"), Is.EqualTo("sse"));
            Assert.That(await page.EvaluateAsync<int>("() => opened.websocket"), Is.EqualTo(sockets), "no WebSocket was tried again");
        });
        await page.Context.CloseAsync();
    }

    [TestCase("sse", "websocket")]
    [TestCase("websocket", "sse")]
    public async Task LastId_FromOneTransport_ResumesOnTheOther_WithoutLoss(string first, string second)
    {
        var user = RedisScaleOutTests.NewUser();
        var channel = Channel("user:" + user);
        var page = await OpenPageAsync(Origin, ("user", user));
        var url = "/notifications/user/" + user + "/stream";
        await ListenAsync(page, url, new { transport = first });
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 1 });
        await channel.Publish(new { n = 2 });
        await page.WaitForFunctionAsync("() => got.length === 2");
        var last = await page.EvaluateAsync<string>("() => { listener.close(); return lastId; }");
        Assert.That(await Eventually.TrueAsync(() => channel.LocalSubscribers == 0), Is.True, "the first listener left");

        await channel.Publish(new { n = 3 });
        await channel.Publish(new { n = 4 });
        await ListenAsync(page, url, new { transport = second, lastEventId = last });
        await page.WaitForFunctionAsync("() => got.length === 2");
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 5 });
        await page.WaitForFunctionAsync("() => got.length === 3");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.EvaluateAsync<int[]>("() => got.map(m => m.n)"), Is.EqualTo(new[] { 3, 4, 5 }));
            Assert.That(await page.EvaluateAsync<string>("() => listener.transport"), Is.EqualTo(second));
        });
        await page.Context.CloseAsync();
    }

    [TestCase("sse")]
    [TestCase("websocket")]
    public async Task End_ClosesTheListener_AndCallsOnEndOnce(string transport)
    {
        var page = await OpenPageAsync(Origin);

        await ListenAsync(page, "/array", new { transport, reconnectDelay = 0 });
        await page.WaitForFunctionAsync("() => ends === 1");
        // A second, unrelated stream round trip: had the ended listener reconnected, /array would have come again.
        await page.EvaluateAsync("(transport) => new Promise((done) => Candy.listen('/hello', () => {}, { transport, onEnd: done }))", transport);

        Assert.Multiple(async () =>
        {
            Assert.That(await page.EvaluateAsync<int[]>("() => got"), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
            Assert.That(await page.EvaluateAsync<int>("() => ends"), Is.EqualTo(1));
            Assert.That(await page.EvaluateAsync<int>($"() => opened.{transport}"), Is.EqualTo(2), "one connection for /array, one for /hello");
            Assert.That(await page.EvaluateAsync<string?>("() => listener.transport"), Is.Null);
        });
        await page.Context.CloseAsync();
    }

    [TestCase("sse")]
    [TestCase("websocket")]
    public async Task ErrorMessage_GoesToOnStreamError_NotToOnMessage(string transport)
    {
        var page = await OpenPageAsync(Origin);

        await ListenAsync(page, "/data/fetch", new { transport });
        await page.WaitForFunctionAsync("() => ends === 1");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.EvaluateAsync<string[]>("() => streamErrors"), Is.EqualTo(new[] { "The upstream service is unavailable" }));
            Assert.That(await page.EvaluateAsync<int>("() => got.length"), Is.Zero);
        });
        await page.Context.CloseAsync();
    }

    [TestCase("sse")]
    [TestCase("websocket")]
    public async Task Reset_ReachesTheResetHandler_AndLiveMessagesFollow(string transport)
    {
        var user = RedisScaleOutTests.NewUser();
        var channel = Channel("user:" + user);
        var newest = await channel.Publish(new { n = 1 });
        var page = await OpenPageAsync(Origin, ("user", user));

        // An id the channel's history does not hold: the server cannot replay after it, so it sends reset.
        await ListenAsync(page, "/notifications/user/" + user + "/stream", new { transport, lastEventId = "1-0" });
        await page.WaitForFunctionAsync("() => resets.length === 1");
        await channel.Publish(new { n = 2 });
        await page.WaitForFunctionAsync("() => got.length === 1");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.EvaluateAsync<string>("() => resets[0]"), Is.EqualTo(newest), "the reset carries the newest id, to resume from");
            Assert.That(await page.EvaluateAsync<int[]>("() => got.map(m => m.n)"), Is.EqualTo(new[] { 2 }));
        });
        await page.Context.CloseAsync();
    }

    [TestCase("sse")]
    [TestCase("websocket")]
    public async Task ServerRetryHint_OutweighsTheClientsOwnDelay(string transport)
    {
        await using var server = await CandyServer.StartAsync(ExampleSiteVariant.With("""{"stream": {"retry": 100}}"""));
        await using var proxy = new TcpProxy(server.Address.Port);
        proxy.Start();
        var origin = new Uri($"http://127.0.0.1:{proxy.Port}");
        var page = await OpenPageAsync(origin);

        // Ten minutes of its own: only the server's 100 ms hint can bring the listener back within the test's deadline.
        await ListenAsync(page, "/notifications/stream", new { transport, reconnectDelay = 600_000 });
        await page.WaitForFunctionAsync("() => opens === 1");
        proxy.Stop();
        await page.WaitForFunctionAsync("() => errors > 0");
        proxy.Start();

        await page.WaitForFunctionAsync("() => opens === 2", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        Assert.That(await page.EvaluateAsync<string>("() => listener.transport"), Is.EqualTo(transport));
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task Send_OverSse_Throws_SayingSendingIsNotAvailable()
    {
        var page = await OpenPageAsync(Origin);
        await ListenAsync(page, "/notifications/stream", new { transport = "sse" });
        await page.WaitForFunctionAsync("() => opens === 1");

        var message = await page.EvaluateAsync<string>("() => { try { listener.send('hello'); return 'sent'; } catch (e) { return e.message; } }");

        Assert.That(message, Does.Contain("sending is not available over SSE").And.Contain("POST"));
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task Listen_UnknownTransport_ThrowsNamingTheChoices()
    {
        var page = await OpenPageAsync(Origin);

        var message = await page.EvaluateAsync<string>("() => { try { Candy.listen('/hello', () => {}, { transport: 'smoke' }); return 'listening'; } catch (e) { return e.message; } }");

        Assert.That(message, Does.Contain("'auto', 'websocket' or 'sse'").And.Contain("smoke"));
        await page.Context.CloseAsync();
    }

    private CandyChannel Channel(string name) => _server.App.Services.GetRequiredService<SiteRegistry>().Sites[0].Channels.Channel(name);

    /// <summary>Starts window.listener on <paramref name="url"/>, recording into got, resets, streamErrors, opens, errors and ends.</summary>
    private static async Task ListenAsync(IPage page, string url, object options) => await page.EvaluateAsync(
        """
        ([url, options]) => {
          Object.assign(window, { got: [], resets: [], streamErrors: [], lastId: '', opens: 0, errors: 0, ends: 0 });
          window.listener = Candy.listen(url, (data, event) => { got.push(data); lastId = event.lastEventId; }, {
            ...options,
            onOpen: () => opens++,
            onError: () => errors++,
            onEnd: () => ends++,
            onStreamError: (message) => streamErrors.push(message),
            events: { reset: (data, event) => resets.push(event.lastEventId) },
          });
        }
        """,
        new object[] { url, options });

    /// <summary>A plain page of the site on <paramref name="origin"/> with candy.js loaded and its connections counted.</summary>
    [TestCase("websocket")]
    [TestCase("sse")]
    public async Task TokenProvider_IsAskedBeforeEveryConnection_SoARefusedTokenIsReplacedOnTheRetry(string transport)
    {
        var page = await OpenPageAsync(Origin);
        await page.EvaluateAsync(
            """
            async (transport) => {
              const signIn = await fetch('/chat/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'token user' }) });
              if (!signIn.ok) throw new Error('sign-in answered ' + signIn.status);
              window.tokenCalls = 0;
              window.errors = 0;
              window.opens = 0;
              const token = async () => {
                tokenCalls++;
                if (tokenCalls === 1) return 'a-token-the-server-never-signed';
                return (await (await fetch('/chat/token')).json()).token;
              };
              window.listener = Candy.listen('/chat/stream', () => {}, { transport, token, reconnectDelay: 100, onError: () => errors++, onOpen: () => opens++ });
            }
            """,
            transport);

        await page.WaitForFunctionAsync("() => opens === 1", null, new PageWaitForFunctionOptions { Timeout = 60_000 });

        Assert.Multiple(async () =>
        {
            Assert.That(await page.EvaluateAsync<int>("() => errors"), Is.GreaterThanOrEqualTo(1), "the first token was refused, although the page is signed in: the token went into the URL");
            Assert.That(await page.EvaluateAsync<int>("() => tokenCalls"), Is.GreaterThanOrEqualTo(2), "the provider was asked again for the retry");
            Assert.That(await page.EvaluateAsync<string>("() => listener.transport"), Is.EqualTo(transport));
        });
    }

    private async Task<IPage> OpenPageAsync(Uri origin, params (string Name, string Value)[] cookies)
    {
        var page = await _chromium.NewPageAsync(origin, cookies);
        await page.GotoAsync(new Uri(origin, "/about").ToString());
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/_candy/candy.js" });
        await page.EvaluateAsync(CountConnections);
        return page;
    }
}
