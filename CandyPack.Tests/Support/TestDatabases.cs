using CandyPack.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace CandyPack.Tests.Support;

/// <summary>
/// The databases the data tests run on: the MariaDB that scripts/services/mariadb.sh starts (its settings come from
/// CANDY_TEST_MYSQL_* variables) and an embedded SQLite file in a fresh folder.
/// </summary>
internal static class TestDatabases
{
    private static readonly string[] Keys = ["HOST", "PORT", "USER", "PASSWORD", "DATABASE"];

    /// <summary>The MariaDB settings; fails the calling test when they are missing, so a run without MariaDB is never green.</summary>
    public static Dictionary<string, string> MariaDb()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        foreach (var key in Keys)
        {
            var value = Environment.GetEnvironmentVariable("CANDY_TEST_MYSQL_" + key);
            if (string.IsNullOrEmpty(value))
            {
                missing.Add("CANDY_TEST_MYSQL_" + key);
            }
            else
            {
                settings[key.ToLowerInvariant()] = value;
            }
        }

        if (missing.Count > 0)
        {
            Assert.Fail($"The MariaDB tests need {string.Join(", ", missing)}. Run them with scripts/test.sh, which starts MariaDB " +
                "(scripts/services/mariadb.sh) and exports its settings; or source artifacts/services/env.sh after running that script.");
        }

        return settings;
    }

    /// <summary>A site configuration with a <c>mysql</c> section for the test MariaDB, optionally on another database or port.</summary>
    public static IConfiguration MariaDbConfiguration(string? database = null, int? port = null)
    {
        var settings = MariaDb();
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            values["mysql:" + key] = value;
        }

        if (database is not null)
        {
            values["mysql:database"] = database;
        }

        if (port is not null)
        {
            values["mysql:port"] = port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>A direct connection to the test MariaDB, outside the framework, for setting up faults.</summary>
    public static MySqlConnection MariaDbConnection()
    {
        var settings = MariaDb();
        return new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = settings["host"],
            Port = uint.Parse(settings["port"], System.Globalization.CultureInfo.InvariantCulture),
            UserID = settings["user"],
            Password = settings["password"],
            Database = settings["database"],
            Pooling = false,
        }.ConnectionString);
    }

    public static IConfiguration Empty() => new ConfigurationBuilder().Build();

    /// <summary>A site's databases built from <paramref name="configuration"/> as a site would, logging into <paramref name="logs"/>.</summary>
    public static Opened Open(IConfiguration configuration, string folder, LogCollector logs)
    {
        var factory = new LoggerFactory([logs]);
        var registry = DatabaseRegistry.Create(configuration, folder, factory);
        return new Opened(new SqlDatabase(registry, registry.Default, CancellationToken.None), registry, factory);
    }

    /// <summary>A fresh folder under the system temp folder, for an embedded database or a site's files.</summary>
    public static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>An open set of databases; disposing closes their pools.</summary>
    internal sealed class Opened(SqlDatabase database, DatabaseRegistry registry, LoggerFactory factory) : IAsyncDisposable
    {
        public SqlDatabase Database { get; } = database;

        public ValueTask DisposeAsync()
        {
            registry.Dispose();
            factory.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
