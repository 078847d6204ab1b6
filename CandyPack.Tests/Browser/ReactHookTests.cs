using CandyPack.Hosting;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CandyPack.Tests.Browser;

/// <summary>
/// The npm package's React hook, useStream, in headless Chromium: a page bundled with esbuild from clients/js (React
/// from npm, nothing from a CDN), served by the test on the example site's origin, through a TCP proxy the tests can cut.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReactHookTests
{
    private const string PagePath = "/react-hook-test/";

    private Chromium _chromium = null!;
    private CandyServer _server = null!;
    private TcpProxy _proxy = null!;
    private string _bundle = null!;

    private Uri Origin => new($"http://127.0.0.1:{_proxy.Port}");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", "react-" + Guid.NewGuid().ToString("N")[..8]);
        _bundle = Path.Combine(folder, "page.js");
        await Esbuild.RunAsync(
            "test/page.jsx", "--bundle", "--format=esm", "--jsx=automatic", "--define:process.env.NODE_ENV=\"production\"", "--outfile=" + _bundle);
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

    [Test]
    public async Task UseStream_ShowsTheLatestMessage_AndUnmountClosesTheStreamOnTheServer()
    {
        var user = RedisScaleOutTests.NewUser();
        var channel = Channel("user:" + user);
        var page = await OpenPageAsync(("user", user));

        await page.EvaluateAsync("(user) => mount('/notifications/user/' + user + '/stream')", user);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await page.WaitForFunctionAsync("() => document.getElementById('status')?.dataset.state === 'open'");
        await channel.Publish(new { message = "first" });
        await channel.Publish(new { message = "second" });
        await page.WaitForFunctionAsync("() => document.getElementById('status')?.textContent === '{\"message\":\"second\"}'");

        await page.EvaluateAsync("() => unmount()");

        Assert.That(await Eventually.TrueAsync(() => channel.LocalSubscribers == 0), Is.True, "the server saw the stream close on unmount");
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task UseStream_AfterTheConnectionDrops_ReconnectsAndGetsWhatItMissed()
    {
        var user = RedisScaleOutTests.NewUser();
        var channel = Channel("user:" + user);
        var page = await OpenPageAsync(("user", user));
        await page.EvaluateAsync("(user) => mount('/notifications/user/' + user + '/stream', { reconnectDelay: 200 })", user);
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish(new { n = 1 });
        await page.WaitForFunctionAsync("() => document.getElementById('status')?.textContent === '{\"n\":1}'");

        _proxy.Stop();
        await page.WaitForFunctionAsync("() => document.getElementById('status')?.dataset.state === 'reconnecting'");
        Assert.That(await Eventually.TrueAsync(() => channel.LocalSubscribers == 0), Is.True, "the server saw the connection drop");
        await channel.Publish(new { n = 2 });
        _proxy.Start();

        await page.WaitForFunctionAsync(
            "() => document.getElementById('status')?.textContent === '{\"n\":2}' && document.getElementById('status')?.dataset.state === 'open'",
            null,
            new PageWaitForFunctionOptions { Timeout = 60_000 });
        await channel.Publish(new { n = 3 });
        await page.WaitForFunctionAsync("() => document.getElementById('status')?.textContent === '{\"n\":3}'");
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task UseStream_OnAFiniteStream_KeepsTheLastMessage_AndEnds()
    {
        var page = await OpenPageAsync();

        await page.EvaluateAsync("() => mount('/array')");

        await page.WaitForFunctionAsync("() => document.getElementById('status')?.dataset.state === 'ended'");
        Assert.That(await page.TextContentAsync("#status"), Is.EqualTo("5"));
        await page.Context.CloseAsync();
    }

    // SSE only: on this page, whose files Playwright's request routing serves, Chromium's WebSocket handshakes never
    // reach the server, so the WebSocket side is covered by CandyListenTransportTests on pages the site serves.
    [TestCase("sse")]
    public async Task UseStream_ReportsTheTransportItListensOn(string transport)
    {
        var page = await OpenPageAsync();

        await page.EvaluateAsync("(transport) => mount('/notifications/stream', { transport })", transport);

        await page.WaitForFunctionAsync(
            "(transport) => document.getElementById('status')?.dataset.state === 'open' && document.getElementById('status')?.dataset.transport === transport",
            transport);
        await page.Context.CloseAsync();
    }

    private CandyChannel Channel(string name) => _server.App.Services.GetRequiredService<SiteRegistry>().Sites[0].Channels.Channel(name);

    /// <summary>The test page on the proxy's origin: its HTML and the bundle are answered by the test, not the site.</summary>
    private async Task<IPage> OpenPageAsync(params (string Name, string Value)[] cookies)
    {
        var page = await _chromium.NewPageAsync(Origin, cookies);
        await page.RouteAsync(new Uri(Origin, PagePath).ToString(), route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html; charset=utf-8",
            Body = $"<!doctype html><meta charset=utf-8><div id=root></div><script type=module src=\"{PagePath}page.js\"></script>",
        }));
        await page.RouteAsync(new Uri(Origin, PagePath + "page.js").ToString(), route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/javascript; charset=utf-8",
            Path = _bundle,
        }));
        await page.GotoAsync(new Uri(Origin, PagePath).ToString());
        await page.WaitForFunctionAsync("() => window.ready === true");
        return page;
    }
}
