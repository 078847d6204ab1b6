using CandyPack.Hosting;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CandyPack.Tests.Browser;

/// <summary>The example site's pages and candy.js in a real headless Chromium.</summary>
[TestFixture]
[NonParallelizable]
public sealed class BrowserClientTests : ExampleSiteInChromium
{
    private const string AllExamplesArrived =
        "() => [...document.querySelectorAll('#examples section')].every(s => s.querySelector('li'))";


    [Test]
    public async Task IndexPage_EventSource_ReceivesEveryGuideExample()
    {
        var page = await Chromium.NewPageAsync(Server.Address);
        await page.GotoAsync(new Uri(Server.Address, "/").ToString());

        await page.WaitForFunctionAsync(AllExamplesArrived);

        Assert.That(await page.TextContentAsync("section[data-path='/hello'] li"), Is.EqualTo("Hello World"));
        await page.WaitForFunctionAsync("() => document.querySelectorAll(\"section[data-path='/array'] li\").length === 5");
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task ClientPage_CandyListen_ReceivesEveryGuideExample_AndTheSeedSnippets()
    {
        var page = await Chromium.NewPageAsync(Server.Address);
        await page.GotoAsync(new Uri(Server.Address, "/client.html").ToString());

        await page.WaitForFunctionAsync(AllExamplesArrived);
        await page.WaitForFunctionAsync("() => document.querySelector('#javascript li')");
        await page.WaitForFunctionAsync("() => document.querySelector('#hook .status').textContent.startsWith('Signed')");
        await page.WaitForFunctionAsync("() => document.querySelector(\"section[data-path='/array'] .state\").textContent === 'ended'");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.TextContentAsync("section[data-path='/hello'] li"), Is.EqualTo("Hello World"));
            Assert.That(await page.GetAttributeAsync("section[data-path='/hello'] li", "data-type"), Is.EqualTo("string"), "plain strings pass through");
            Assert.That(await page.GetAttributeAsync("section[data-path='/message'] li", "data-type"), Is.EqualTo("object"), "JSON is parsed");
            Assert.That(
                await page.EvalOnSelectorAllAsync<string[]>("section[data-path='/array'] li", "items => items.map(i => i.textContent)"),
                Is.EqualTo(new[] { "1", "2", "3", "4", "5" }),
                "the end event closed the listener instead of replaying the array");
        });
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task NotificationsPage_Send_ReachesEveryOpenPage()
    {
        var sender = await Chromium.NewPageAsync(Server.Address);
        var other = await Chromium.NewPageAsync(Server.Address);
        await sender.GotoAsync(new Uri(Server.Address, "/notifications.html").ToString());
        await other.GotoAsync(new Uri(Server.Address, "/notifications.html").ToString());
        await sender.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'open'");
        await other.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'open'");

        var title = "deploy " + Guid.NewGuid().ToString("N")[..8];
        await sender.FillAsync("#title", title);
        await sender.FillAsync("#body", "finished");
        await sender.ClickAsync("#send button");

        foreach (var page in new[] { sender, other })
        {
            await page.WaitForFunctionAsync("(title) => document.getElementById('received').textContent.includes(title + ': finished')", title);
            await page.Context.CloseAsync();
        }
    }

    [Test]
    public async Task DashboardPage_ShowsServerStats_PushedEverySecond()
    {
        var page = await Chromium.NewPageAsync(Server.Address);
        await page.GotoAsync(new Uri(Server.Address, "/dashboard.html").ToString());

        await page.WaitForFunctionAsync("() => document.getElementById('state').textContent.startsWith('live')");
        var first = await page.TextContentAsync("#uptimeSeconds");
        await page.WaitForFunctionAsync("(first) => document.getElementById('uptimeSeconds').textContent !== first", first);

        Assert.That(await page.TextContentAsync("#workingSetMb"), Does.EndWith(" MB"));
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task CandyListen_Close_StopsTraffic()
    {
        var channels = Server.App.Services.GetRequiredService<SiteRegistry>().Sites[0].Channels;
        var user = RedisScaleOutTests.NewUser();
        var closing = channels.Channel("user:" + user);
        var witness = channels.Channel("notifications");
        var page = await OpenBlankPageAsync(Server.Address, ("user", user));
        await page.EvaluateAsync(
            """
            (user) => {
              window.got = []; window.seen = []; window.opened = 0;
              const Socket = WebSocket;
              window.WebSocket = class extends Socket { constructor(...args) { super(...args); window.opened++; } };
              const original = fetch;
              window.fetch = (...args) => { window.opened++; return original(...args); };
              window.listener = Candy.listen('/notifications/user/' + user + '/stream', (data) => got.push(data), { reconnectDelay: 0 });
              Candy.listen('/notifications/stream', (data) => seen.push(data));
            }
            """,
            user);
        await CandyChannelTests.WaitForSubscribersAsync(closing, 1);
        await CandyChannelTests.WaitForSubscribersAsync(witness, 1);
        await closing.Publish(new { n = 1 });
        await page.WaitForFunctionAsync("() => got.length === 1");

        var connections = await page.EvaluateAsync<int>("() => opened");
        await page.EvaluateAsync("() => listener.close()");
        Assert.That(await Eventually.TrueAsync(() => closing.LocalSubscribers == 0), Is.True, "the server saw the connection close");
        await closing.Publish(new { n = 2 });
        await witness.Publish("after close");
        await page.WaitForFunctionAsync("() => seen.length === 1");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.EvaluateAsync<int>("() => got.length"), Is.EqualTo(1), "nothing arrived after close()");
            Assert.That(await page.EvaluateAsync<int>("() => opened"), Is.EqualTo(connections), "no reconnect after close()");
            Assert.That(closing.LocalSubscribers, Is.Zero);
        });
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task ServerRestarts_PageReconnectsAndResumes_WithoutLoss()
    {
        var port = HostInstance.FreePort();
        var a = await RedisScaleOutTests.StartHostAsync(TestServices.Redis, port);
        await using var b = await RedisScaleOutTests.StartHostAsync(TestServices.Redis, 0);
        var user = RedisScaleOutTests.NewUser();
        try
        {
            var page = await OpenBlankPageAsync(a.Address, ("user", user));
            await page.EvaluateAsync(
                """
                (user) => {
                  window.got = []; window.opens = 0; window.errors = 0;
                  Candy.listen('/notifications/user/' + user + '/stream', (data) => got.push(data.n), {
                    reconnectDelay: 200,
                    onOpen: () => opens++,
                    onError: () => errors++,
                    events: { reset: () => got.push('reset') },
                  });
                }
                """,
                user);
            await page.WaitForFunctionAsync("() => opens === 1");
            await RedisScaleOutTests.PublishAsync(b, user, 1);
            await RedisScaleOutTests.PublishAsync(b, user, 2);
            await page.WaitForFunctionAsync("() => got.length === 2");

            await a.KillAsync();
            await page.WaitForFunctionAsync("() => errors > 0");
            await RedisScaleOutTests.PublishAsync(b, user, 3);
            await RedisScaleOutTests.PublishAsync(b, user, 4);
            await a.DisposeAsync();
            a = await RedisScaleOutTests.StartHostAsync(TestServices.Redis, port);

            await page.WaitForFunctionAsync("() => got.length >= 4", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            await RedisScaleOutTests.PublishAsync(b, user, 5);
            await page.WaitForFunctionAsync("() => got.length >= 5");

            Assert.That(await page.EvaluateAsync<int[]>("() => got"), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
            await page.Context.CloseAsync();
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    /// <summary>A plain page of the site with candy.js loaded.</summary>
    private async Task<IPage> OpenBlankPageAsync(Uri site, params (string Name, string Value)[] cookies)
    {
        var page = await Chromium.NewPageAsync(site, cookies);
        await page.GotoAsync(new Uri(site, "/about").ToString());
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/_candy/candy.js" });
        return page;
    }
}
