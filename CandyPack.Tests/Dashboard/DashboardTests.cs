using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Hosting;
using CandyPack.Tests.Channels.Site;
using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Dashboard;

/// <summary>/_candy/: on in Development, off in Production unless enabled behind an authorization policy; its data.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DashboardTests
{
    [Test]
    public async Task Dashboard_InDevelopment_ServesThePage_AndItsDataListsRoutesAndChannels()
    {
        await using var server = await CandyServer.StartAsync(ChannelSite.Definition());
        var channel = ChannelSite.Runtime(server).Channels.Channel("dashboard-test");
        for (var i = 0; i < 7; i++)
        {
            await channel.Publish(new { i });
        }

        using var stream = await server.OpenStreamAsync("/channels/dashboard-test/stream");
        await Channels.CandyChannelTests.WaitForSubscribersAsync(channel, 1);

        using var page = await server.GetAsync("/_candy/");
        using var script = await server.GetAsync("/_candy/dashboard/uPlot.iife.min.js");
        var data = await server.Client.GetFromJsonAsync<JsonElement>("/_candy/dashboard/data");

        var site = data.GetProperty("sites")[0];
        var listed = site.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "dashboard-test");
        Assert.Multiple(async () =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("/_candy/dashboard/uPlot.iife.min.js"));
            Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK), "uPlot is served from the framework, not a CDN");
            Assert.That(listed.GetProperty("subscribers").GetInt32(), Is.EqualTo(1));
            Assert.That(listed.GetProperty("history").GetInt32(), Is.EqualTo(5), "the site keeps 5 messages of history");
            Assert.That(
                site.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("method").GetString() + " " + r.GetProperty("pattern").GetString()),
                Does.Contain("GET /channels/{name}/stream").And.Contain("POST /channels/{name}"));
            Assert.That(data.GetProperty("totals").GetProperty("openStreams").GetInt64(), Is.GreaterThanOrEqualTo(1));
        });
    }

    [TestCase("/_candy/")]
    [TestCase("/_candy/dashboard/data")]
    [TestCase("/_candy/dashboard/dashboard.js")]
    public async Task Dashboard_InProduction_IsOffByDefault(string path)
    {
        await using var server = await CandyServer.StartAsync(o => o.Development = false, TestSite.Create("Streams"));

        using var response = await server.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Dashboard_InProduction_EnabledWithoutAPolicy_StopsStartupSayingWhatToSet()
    {
        var site = TestSite.Create("Streams", """{ "dashboard": { "enabled": true } }""");

        var error = await Assert.ThrowsAsync<CandyStartupException>(async () => await CandyServer.StartAsync(o => o.Development = false, site));

        Assert.That(error!.Message, Does.Contain("dashboard.policy"));
    }

    [Test]
    public async Task Dashboard_WithAPolicyTheHostDoesNotRegister_StopsStartupNamingIt()
    {
        var site = TestSite.Create("Streams", """{ "dashboard": { "enabled": true, "policy": "nobody-registered-this" } }""");

        var error = await Assert.ThrowsAsync<CandyStartupException>(async () => await CandyServer.StartAsync(o => o.Development = false, site));

        Assert.That(error!.Message, Does.Contain("nobody-registered-this"));
    }

    [Test]
    public async Task Dashboard_InProduction_WithAPolicy_AnswersOnlyRequestsThatSatisfyIt()
    {
        var site = TestSite.Create("Streams", """{ "dashboard": { "enabled": true, "policy": "operators" } }""");
        await using var server = await CandyServer.StartAsync(
            o =>
            {
                o.Development = false;
                var logging = o.ConfigureBuilder;
                o.ConfigureBuilder = builder =>
                {
                    logging?.Invoke(builder);
                    builder.Services.AddAuthentication(HeaderAuthentication.Name)
                        .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
                    builder.Services.AddAuthorization(a => a.AddPolicy("operators", p => p.RequireUserName("ops")));
                };
                o.ConfigurePipeline = app => app.UseAuthentication();
            },
            site);

        using var anonymous = await server.GetAsync("/_candy/dashboard/data");
        var other = server.Request(HttpMethod.Get, "/_candy/");
        other.Headers.Add(HeaderAuthentication.Header, "guest");
        using var forbidden = await server.Client.SendAsync(other);
        var operatorRequest = server.Request(HttpMethod.Get, "/_candy/dashboard/data");
        operatorRequest.Headers.Add(HeaderAuthentication.Header, "ops");
        using var allowed = await server.Client.SendAsync(operatorRequest);

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
