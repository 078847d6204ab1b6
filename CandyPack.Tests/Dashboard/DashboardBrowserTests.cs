using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CandyPack.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium on the example site with traffic: charts drawn by the embedded uPlot, the
/// channel table and the route table filled. Leaves a screenshot in artifacts/screenshots/dashboard.png.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DashboardBrowserTests
{
    [Test]
    public async Task Dashboard_InChromium_ChartsTheMeter_AndListsChannelsAndRoutes()
    {
        await using var chromium = await Chromium.LaunchAsync();
        await using var server = await CandyServer.StartAsync(CandyServer.ExampleSite());
        var channel = server.App.Services.GetRequiredService<SiteRegistry>().Sites[0].Channels.Channel("notifications");
        using var stream = await server.OpenStreamAsync("/notifications/stream");
        await Channels.CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        var page = await chromium.NewPageAsync(server.Address);
        await page.SetViewportSizeAsync(1400, 1000);
        var blocked = new List<string>();
        page.RequestFailed += (_, request) => blocked.Add(request.Url);

        await page.GotoAsync(new Uri(server.Address, "/_candy/").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'live'");
        for (var i = 1; i <= 3; i++)
        {
            // Traffic between polls, so every chart has points to draw.
            await channel.Publish(new { title = "deploy", body = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            using var hello = await server.GetAsync("/hello");
            await page.WaitForFunctionAsync("(n) => Number(document.body.dataset.points) > n", i);
        }

        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('#channels tbody tr')].some(r => r.cells[1].textContent === 'notifications' && r.cells[2].textContent === '1')");

        Assert.Multiple(async () =>
        {
            Assert.That(await page.Locator(".uplot canvas").CountAsync(), Is.EqualTo(4), "four charts drawn");
            Assert.That(await page.Locator("#routes tbody tr", new PageLocatorOptions { HasText = "/notifications/stream" }).CountAsync(), Is.EqualTo(1));
            Assert.That(blocked, Is.Empty, "every asset came from the host");
        });

        var screenshots = Path.Combine(Repository.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard.png"), FullPage = false });
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task Dashboard_KeepsTheLastFifteenMinutesOfSamples_AndNoMore()
    {
        await using var chromium = await Chromium.LaunchAsync();
        await using var server = await CandyServer.StartAsync(CandyServer.ExampleSite());
        var page = await chromium.NewPageAsync(server.Address);

        // The page's clock moves only when the test moves it, so fifteen minutes of one-second polls pass at once:
        // each step fires the pending poll, whose real request to the host then schedules the next one.
        await page.Clock.InstallAsync();
        await page.GotoAsync(new Uri(server.Address, "/_candy/").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'live'");
        const int Polls = (15 * 60) + 10;
        for (var poll = 1; poll <= Polls; poll++)
        {
            await page.Clock.RunForAsync(1000);
            await page.WaitForFunctionAsync("(n) => Number(document.body.dataset.samples) >= n", poll);
        }

        var kept = await page.EvaluateAsync<int>("() => Number(document.body.dataset.points)");
        Assert.That(kept - 1, Is.GreaterThanOrEqualTo(15 * 60), "the charts span the last 15 minutes of one-second samples");
        Assert.That(kept, Is.LessThan(Polls), "older samples are let go: the history is bounded");
        await page.Context.CloseAsync();
    }
}
