using CandyPack.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.Hosting;

/// <summary>The short block the host logs once it listens: URL, database, Redis, environment, dashboard and metrics.</summary>
[TestFixture]
public sealed class StartupOutputTests
{
    [Test]
    public async Task Startup_SaysWhereToGo_WhichDatabaseAndRedis_AndWhereDashboardAndMetricsAre()
    {
        var site = TestSite.Create("Streams", """{ "metrics": { "enabled": true }, "redis": "127.0.0.1:1,password=secret" }""");
        await using var server = await CandyServer.StartAsync(site);
        var root = server.Address.ToString().TrimEnd('/');

        var lines = server.Logs.Entries.Where(e => e.Level == LogLevel.Information && e.Category == "CandyPack.Host").Select(e => e.Message).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain($"Open {root}/ (Development)"));
            Assert.That(lines, Has.Some.Contains("database sqlite " + Path.Combine(site.Folder, ".candy", "data.db")));
            Assert.That(lines, Has.Some.Contains("redis on (127.0.0.1:1)"));
            Assert.That(lines, Has.None.Contains("secret"), "the Redis password stays out of the log");
            Assert.That(lines, Does.Contain($"  dashboard {root}/_candy/"));
            Assert.That(lines, Does.Contain($"  metrics   {root}/_candy/metrics"));
        });
    }

    [Test]
    public async Task Startup_InProduction_SaysDashboardAndMetricsAreOff_AndHowToTurnThemOn()
    {
        await using var server = await CandyServer.StartAsync(o => o.Development = false, TestSite.Create("Streams"));

        var lines = server.Logs.Entries.Select(e => e.Message).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Some.StartsWith("Open http://127.0.0.1:").And.EndsWith("(Production)"));
            Assert.That(lines, Has.Some.Contains("redis off"));
            Assert.That(lines, Has.Some.StartsWith("  dashboard off"));
            Assert.That(lines, Has.Some.StartsWith("  metrics   off (\"metrics\": { \"enabled\": true }"));
        });
    }
}
