using System.Globalization;
using CandyPack.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CandyPack.Benchmarks.Data;

/// <summary>
/// <c>data</c>: the query builder against hand-written Dapper for the same query (median time per query and their
/// ratio, measured in one run, interleaved), then a row stream of a large table with the managed heap sampled as it
/// goes. Runs on the embedded SQLite file, and on MariaDB when the CANDY_TEST_MYSQL_* settings are present
/// (scripts/services/mariadb.sh writes them). Options: <c>--rows=1000000</c> rows to stream, <c>--rounds=61</c>
/// measuring rounds, <c>--database=all|sqlite|mariadb</c>.
/// </summary>
public static class DataBenchmark
{
    /// <summary>The builder's target: at most this many times the hand-written Dapper time.</summary>
    public const double TargetRatio = 1.1;

    /// <summary>Runs the data benchmark and prints its figures; returns 0, or 1 when a target was missed.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rows = Option(args, "rows", 1_000_000);
        var rounds = Option(args, "rounds", 61);
        var which = OptionText(args, "database", "all");
        var folder = Path.Combine(Path.GetTempPath(), "candy-bench-data-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var met = true;
        try
        {
            if (which is "all" or "sqlite")
            {
                met &= await RunOnAsync("sqlite (embedded)", new ConfigurationBuilder().Build(), folder, rows, rounds, iterations: 500);
            }

            if (which is "all" or "mariadb")
            {
                if (MariaDbConfiguration() is { } mariadb)
                {
                    met &= await RunOnAsync("mariadb", mariadb, folder, rows, rounds, iterations: 100);
                }
                else
                {
                    Console.WriteLine("mariadb: skipped, CANDY_TEST_MYSQL_HOST/PORT/USER/PASSWORD/DATABASE are not set (run scripts/services/mariadb.sh <dir> and source <dir>/env.sh).");
                    met &= which != "mariadb";
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return met ? 0 : 1;
    }

    private static async Task<bool> RunOnAsync(string name, IConfiguration configuration, string folder, int rows, int rounds, int iterations)
    {
        using var registry = DatabaseRegistry.Create(configuration, folder, NullLoggerFactory.Instance);
        var db = new SqlDatabase(registry, registry.Default, CancellationToken.None);
        var baseline = HandWritten.For(registry.Default.Provider);

        Console.WriteLine($"== {name}: {registry.Default.Provider.Location}");
        await Fixtures.CreateAsync(db, rows);

        var overhead = await BuilderOverhead.MeasureAsync(db, baseline, rounds, iterations);
        overhead.Print(TargetRatio);

        var stream = await RowStreamMemory.MeasureAsync(db, rows);
        stream.Print();

        await Fixtures.DropAsync(db);
        return overhead.Ratio <= TargetRatio && stream.Flat;
    }

    private static IConfiguration? MariaDbConfiguration()
    {
        var values = new Dictionary<string, string?>();
        foreach (var key in new[] { "host", "port", "user", "password", "database" })
        {
            var value = Environment.GetEnvironmentVariable("CANDY_TEST_MYSQL_" + key.ToUpperInvariant());
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            values["mysql:" + key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static int Option(string[] args, string name, int fallback) =>
        int.TryParse(OptionText(args, name, string.Empty), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private static string OptionText(string[] args, string name, string fallback)
    {
        var prefix = "--" + name + "=";
        foreach (var arg in args)
        {
            if (arg.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return arg[prefix.Length..];
            }
        }

        return fallback;
    }
}
