using System.Net;
using System.Text.Json;
using CandyPack.Tests.Support;
using CandyPack.Tests.TestSites.Data.Route;
using MySqlConnector;

namespace CandyPack.Tests.Data;

/// <summary><c>candy.Mysql</c> runs with the request's cancellation: a client that leaves, or a request that times out, stops its query in MariaDB.</summary>
[TestFixture]
public sealed class RequestCancellationTests
{
    [Test]
    public async Task ClientLeaves_TheRunningQueryIsCancelledInTheDatabase()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Data", Config(timeout: 0)));
        await using var admin = TestDatabases.MariaDbConnection();
        await admin.OpenAsync();
        using var leave = new CancellationTokenSource();

        var request = server.Client.GetAsync("/sleep", leave.Token);
        Assert.That(await Eventually.TrueAsync(() => IsRunning(admin)), Is.True, "the query never started");
        await leave.CancelAsync();

        Assert.That(async () => await request, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Eventually.TrueAsync(() => !IsRunning(admin)), Is.True, "the query kept running after the client left");
    }

    [Test]
    public async Task RequestTimesOut_408_AndTheQueryIsCancelledInTheDatabase()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Data", Config(timeout: 1)));
        await using var admin = TestDatabases.MariaDbConnection();
        await admin.OpenAsync();

        using var response = await server.GetAsync("/sleep");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestTimeout));
        Assert.That(await Eventually.TrueAsync(() => !IsRunning(admin)), Is.True, "the query kept running after the request timed out");
    }

    private static string Config(double timeout)
    {
        var settings = TestDatabases.MariaDb();
        return JsonSerializer.Serialize(new
        {
            request = new { timeout },
            mysql = new { host = settings["host"], port = int.Parse(settings["port"], System.Globalization.CultureInfo.InvariantCulture), user = settings["user"], password = settings["password"], database = settings["database"] },
        });
    }

    private static bool IsRunning(MySqlConnection admin)
    {
        using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = @sql", admin);
        command.Parameters.AddWithValue("@sql", Www.Sleep);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
