using CandyPack.Data;
using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CandyPack.Tests.Data;

/// <summary>Which database a site gets from its config.json, and the startup errors a wrong "mysql" section gives.</summary>
[TestFixture]
public sealed class DatabaseRegistryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static string DefaultLocation(IConfiguration configuration)
    {
        using var registry = DatabaseRegistry.Create(configuration, Path.GetTempPath(), NullLoggerFactory.Instance);
        return registry.Default.Provider.Location;
    }

    [Test]
    public void NoMysqlSection_IsTheEmbeddedFileInTheSiteFolder() =>
        Assert.That(DefaultLocation(Config()), Is.EqualTo("sqlite " + Path.Combine(Path.GetTempPath(), ".candy", "data.db")));

    [Test]
    public void OneConnection_IsTheDefault_WithDefaults() =>
        Assert.That(DefaultLocation(Config(("mysql:database", "shop"))), Is.EqualTo("mysql 127.0.0.1:3306/shop"));

    [Test]
    public void NamedConnections_DefaultIsTheOneCalledDefault()
    {
        var configuration = Config(("mysql:analytics:database", "stats"), ("mysql:default:host", "db1"), ("mysql:default:database", "shop"));
        using var registry = DatabaseRegistry.Create(configuration, Path.GetTempPath(), NullLoggerFactory.Instance);

        Assert.That(registry.Default.Provider.Location, Is.EqualTo("mysql db1:3306/shop"));
        Assert.That(registry.Get("analytics").Provider.Location, Is.EqualTo("mysql 127.0.0.1:3306/stats"));
        Assert.That(() => registry.Get("missing"), Throws.ArgumentException.With.Message.Contains("analytics, default").Or.Message.Contains("default, analytics"));
    }

    [Test]
    public void NamedConnections_WithoutDefault_TakeTheFirstByName() =>
        Assert.That(DefaultLocation(Config(("mysql:zeta:database", "z"), ("mysql:alpha:database", "a"))), Is.EqualTo("mysql 127.0.0.1:3306/a"));

    [TestCase("mysql:host", "db", "mysql.database")]
    [TestCase("mysql:port", "eighty", "mysql.port")]
    [TestCase("mysql:pasword", "x", "mysql.pasword")]
    public void BadSection_StopsStartup_NamingTheKey(string key, string value, string named)
    {
        var configuration = Config((key, value), ("mysql:user", "app"));
        if (key != "mysql:host")
        {
            configuration["mysql:database"] = "shop";
        }

        var error = Assert.Throws<CandyStartupException>(() => DatabaseRegistry.Create(configuration, Path.GetTempPath(), NullLoggerFactory.Instance));

        Assert.That(error.Message, Does.Contain(named));
    }

    [Test]
    public async Task Database_Name_RunsOnThatConnection()
    {
        var settings = TestDatabases.MariaDb();
        var values = new List<(string, string)>();
        foreach (var (name, database) in new[] { ("default", settings["database"]), ("other", settings["database"] + "_other") })
        {
            values.Add(($"mysql:{name}:host", settings["host"]));
            values.Add(($"mysql:{name}:port", settings["port"]));
            values.Add(($"mysql:{name}:user", settings["user"]));
            values.Add(($"mysql:{name}:password", settings["password"]));
            values.Add(($"mysql:{name}:database", database));
        }

        var folder = TestDatabases.TempFolder();
        await using (var opened = TestDatabases.Open(Config([.. values]), folder, new LogCollector()))
        {
            var main = await opened.Database.Run("SELECT DATABASE() AS db");
            var other = await opened.Database.Database("other").Run("SELECT DATABASE() AS db");

            Assert.That(main.Rows[0]["db"], Is.EqualTo(settings["database"]));
            Assert.That(other.Rows[0]["db"], Is.EqualTo(settings["database"] + "_other"));
            Assert.That(opened.Database.Database("other").Name, Is.EqualTo("other"));
        }

        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task SchemaScript_AppliedToAnEmptyDatabaseOnce_AndABrokenOneNamesItself()
    {
        var folder = TestDatabases.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "schema.sql"), "CREATE TABLE seeded (id INTEGER PRIMARY KEY); INSERT INTO seeded (id) VALUES (1);");
        await using (var first = TestDatabases.Open(TestDatabases.Empty(), folder, new LogCollector()))
        {
            Assert.That(await first.Database.Table("seeded").Rows(), Is.EqualTo(1));
        }

        await using (var second = TestDatabases.Open(TestDatabases.Empty(), folder, new LogCollector()))
        {
            Assert.That(await second.Database.Table("seeded").Rows(), Is.EqualTo(1), "a database with tables is left alone");
        }

        var broken = TestDatabases.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(broken, "schema.sql"), "CREATE TABLE oops (;");
        await using (var third = TestDatabases.Open(TestDatabases.Empty(), broken, new LogCollector()))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await third.Database.Table("oops").Rows());

            Assert.That(error!.Message, Does.Contain("schema.sql").And.Contain("Fix the script"));
        }

        Directory.Delete(folder, recursive: true);
        Directory.Delete(broken, recursive: true);
    }
}
