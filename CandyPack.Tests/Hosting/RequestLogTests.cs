using System.Globalization;
using System.Net;
using CandyPack.Tests.Data;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>The host's own log, read from the running executable: request data cannot forge lines, and an outage is not logged once per request.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RequestLogTests
{
    [Test]
    public async Task ControlCharactersFromARequest_AreLoggedVisibly_NeverAsANewLine()
    {
        await using var host = await HostInstance.StartAsync(Repository.ExampleSite, 0, new Dictionary<string, string>());

        using var response = await host.Client.GetAsync("/nope%0A%5B00:00:00%20INF%5D%20FORGED%20admin%20login%20ok");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Eventually.TrueAsync(() => host.CountLines("FORGED") > 0), Is.True, host.ToString());
        Assert.That(host.Lines, Has.None.StartsWith("[00:00:00 INF] FORGED"), host.ToString());
        Assert.That(host.Lines, Has.Some.Contains(@"/nope\n[00:00:00 INF] FORGED admin login ok"), host.ToString());
    }

    [Test]
    public async Task Shutdown_WithOpenStreams_LogsOneSummaryLine_NotARequestLinePerStream()
    {
        const int streams = 40;
        await using var host = await HostInstance.StartAsync(Repository.ExampleSite, 0, new Dictionary<string, string>());
        var sockets = new List<System.Net.Sockets.Socket>();
        try
        {
            for (var i = 0; i < streams; i++)
            {
                var socket = await RawHttp.OpenAsync(host.Address, "/notifications/stream");
                sockets.Add(socket);

                // The stream's headers are flushed when it opens: once bytes arrive, the server holds it open.
                using var opened = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                Assert.That(await socket.ReceiveAsync(new byte[512], opened.Token), Is.GreaterThan(0));
            }

            Assert.That(await host.StopAsync(TimeSpan.FromSeconds(60)), Is.Zero, host.ToString());
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        Assert.That(host.CountLines($"Closing {streams} open streams"), Is.EqualTo(1), host.ToString());
        Assert.That(host.CountLines("HTTP GET /notifications/stream"), Is.Zero, host.ToString());
    }

    [Test]
    public async Task DatabaseOutage_IsLoggedAsAnErrorOnce_NotOncePerRequest()
    {
        var settings = TestDatabases.MariaDb();
        await using var proxy = new TcpProxy(int.Parse(settings["port"], CultureInfo.InvariantCulture));
        proxy.Start();
        var environment = new Dictionary<string, string>
        {
            ["CANDY_MYSQL__HOST"] = settings["host"],
            ["CANDY_MYSQL__PORT"] = proxy.Port.ToString(CultureInfo.InvariantCulture),
            ["CANDY_MYSQL__USER"] = settings["user"],
            ["CANDY_MYSQL__PASSWORD"] = settings["password"],
            ["CANDY_MYSQL__DATABASE"] = settings["database"] + "_other",
        };
        await using var host = await HostInstance.StartAsync(Repository.ExampleSite, 0, environment);
        using (var before = await host.Client.GetAsync("/api/posts?limit=3"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK), host.ToString());
        }

        proxy.Stop();
        for (var i = 0; i < 5; i++)
        {
            using var down = await host.Client.GetAsync("/api/posts?limit=3");
            Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), host.ToString());
        }

        Assert.That(await Eventually.TrueAsync(() => host.CountLines("responded 503") == 5), Is.True, host.ToString());
        Assert.That(host.Lines.Count(l => l.Contains(" ERR]", StringComparison.Ordinal)), Is.EqualTo(1), host.ToString());
    }
}
