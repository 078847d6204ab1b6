using System.Net;
using System.Text.Json;
using CandyPack.Data;
using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace CandyPack.Tests.Data;

/// <summary>Real faults on MariaDB: a connection killed in the middle of a query, and the server going away and coming back.</summary>
[TestFixture]
public sealed class MariaDbConnectionTests
{
    private const string Sleep = "SELECT SLEEP(300) AS slept";

    [Test]
    public async Task KillConnection_MidQuery_IsUnavailable_LoggedOnce_AndTheNextQueryRecovers()
    {
        await using var fault = await FaultSetup.OpenAsync();
        var (db, admin, logs) = (fault.Database, fault.Admin, fault.Logs);

        var sleeping = db.Run(Sleep);
        var id = await WaitForQueryAsync(admin, Sleep);
        await ExecuteAsync(admin, $"KILL CONNECTION {id}");

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(async () => await sleeping);
        var after = await db.Run("SELECT 1 AS one");

        Assert.That(error!.Message, Does.Contain("unavailable").And.Contain("default"));
        Assert.That(after.Rows[0].Get<int>("one"), Is.EqualTo(1));
        Assert.That(logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains("unavailable", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(logs.Contains(LogLevel.Information, "available again"), Is.True);
    }

    [Test]
    public async Task KillIdlePooledConnection_TheNextQueryStillRuns()
    {
        await using var fault = await FaultSetup.OpenAsync();
        var (db, admin) = (fault.Database, fault.Admin);
        var pooled = (await db.Run("SELECT CONNECTION_ID() AS id")).Rows[0].Get<long>("id");

        await ExecuteAsync(admin, $"KILL CONNECTION {pooled}");
        var after = await db.Run("SELECT CONNECTION_ID() AS id");

        Assert.That(after.Rows[0].Get<long>("id"), Is.Not.EqualTo(pooled));
    }

    [Test]
    public async Task DatabaseDown_Returns503_LogsOnce_AndRecoversWhenItIsBack()
    {
        var settings = TestDatabases.MariaDb();
        await using var proxy = new TcpProxy(int.Parse(settings["port"], System.Globalization.CultureInfo.InvariantCulture));
        proxy.Start();
        var folder = SiteOnMariaDb(settings, proxy.Port);
        await using var server = await CandyServer.StartAsync(new SiteDefinition(folder, typeof(ExampleSite.Route.Www).Assembly));

        using var before = await server.GetAsync("/api/posts?limit=3");
        proxy.Stop();
        using var down = await server.GetAsync("/api/posts?limit=3");
        using var stillDown = await server.GetAsync("/users/1");
        proxy.Start();
        using var back = await server.GetAsync("/api/posts?limit=3");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(down.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await down.Content.ReadAsStringAsync(), Does.Contain("unavailable"));
        Assert.That(stillDown.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await JsonDocument.ParseAsync(await back.Content.ReadAsStreamAsync())).RootElement.GetArrayLength(), Is.EqualTo(3));
        Assert.That(server.Logs.Entries.Count(e => e.Level == LogLevel.Error), Is.EqualTo(1), string.Join(Environment.NewLine, server.Logs.Entries));
        Assert.That(server.Logs.Contains(LogLevel.Information, "available again"), Is.True);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The example site's code with a config.json that points it at MariaDB (through <paramref name="port"/>).</summary>
    internal static string SiteOnMariaDb(Dictionary<string, string> settings, int port)
    {
        var folder = TestDatabases.TempFolder();
        File.Copy(Path.Combine(Repository.ExampleSite, "schema.sql"), Path.Combine(folder, "schema.sql"));
        var config = new
        {
            mysql = new
            {
                host = settings["host"],
                port,
                user = settings["user"],
                password = settings["password"],
                database = settings["database"] + "_other",
            },
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
        return folder;
    }

    private static async Task<long> WaitForQueryAsync(MySqlConnection admin, string sql)
    {
        var until = DateTime.UtcNow + Eventually.DefaultDeadline;
        while (DateTime.UtcNow < until)
        {
            var ids = await IdsAsync(admin, $"SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = '{sql}'");
            if (ids.Count > 0)
            {
                return ids[0];
            }

            await Task.Delay(10);
        }

        throw new AssertionException($"The query \"{sql}\" never showed in the process list.");
    }

    private static async Task<List<long>> IdsAsync(MySqlConnection admin, string sql)
    {
        await using var command = new MySqlCommand(sql, admin);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return ids;
    }

    private static async Task ExecuteAsync(MySqlConnection admin, string sql)
    {
        await using var command = new MySqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The test MariaDB as a site gets it, and a second connection outside the framework to cause faults with.</summary>
    private sealed class FaultSetup : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly TestDatabases.Opened _opened;

        private FaultSetup(string folder, TestDatabases.Opened opened, MySqlConnection admin, LogCollector logs)
        {
            _folder = folder;
            _opened = opened;
            Admin = admin;
            Logs = logs;
        }

        public SqlDatabase Database => _opened.Database;

        public MySqlConnection Admin { get; }

        public LogCollector Logs { get; }

        public static async Task<FaultSetup> OpenAsync()
        {
            var logs = new LogCollector();
            var folder = TestDatabases.TempFolder();
            var admin = TestDatabases.MariaDbConnection();
            await admin.OpenAsync();
            return new FaultSetup(folder, TestDatabases.Open(TestDatabases.MariaDbConfiguration(), folder, logs), admin, logs);
        }

        public async ValueTask DisposeAsync()
        {
            await Admin.DisposeAsync();
            await _opened.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
