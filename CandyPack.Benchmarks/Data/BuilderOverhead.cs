using System.Diagnostics;
using System.Globalization;
using CandyPack.Data;

namespace CandyPack.Benchmarks.Data;

/// <summary>
/// Times the builder's <c>Get&lt;T&gt;()</c> against <see cref="HandWritten"/> for the same query, in many short rounds
/// that alternate which side goes first. Each pair of neighbouring rounds gives a ratio, so drift on a shared machine
/// falls on both sides of it; the figures are medians.
/// </summary>
internal sealed record BuilderOverhead(double DapperMicroseconds, double BuilderMicroseconds, double DapperBytes, double BuilderBytes, double Ratio, int Rounds)
{

    public static async Task<BuilderOverhead> MeasureAsync(SqlDatabase db, HandWritten dapper, int rounds, int iterations)
    {
        // Both sides must return the same rows before their times mean anything.
        var check = await BuilderQueryAsync(db, 7);
        var expected = await dapper.QueryAsync(7);
        if (check != expected || check == 0)
        {
            throw new InvalidOperationException($"The builder returned {check} rows and Dapper {expected}; the benchmark compares nothing.");
        }

        await RoundAsync(i => dapper.QueryAsync(i % 100), iterations);
        await RoundAsync(i => BuilderQueryAsync(db, i % 100), iterations);
        var dapperRounds = new List<(double Time, double Bytes)>();
        var builderRounds = new List<(double Time, double Bytes)>();
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                dapperRounds.Add(await RoundAsync(i => dapper.QueryAsync(i % 100), iterations));
                builderRounds.Add(await RoundAsync(i => BuilderQueryAsync(db, i % 100), iterations));
            }
            else
            {
                builderRounds.Add(await RoundAsync(i => BuilderQueryAsync(db, i % 100), iterations));
                dapperRounds.Add(await RoundAsync(i => dapper.QueryAsync(i % 100), iterations));
            }
        }

        var ratios = new List<(double Time, double Bytes)>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            ratios.Add((builderRounds[i].Time / dapperRounds[i].Time, 0));
        }

        return new BuilderOverhead(
            Median(dapperRounds, r => r.Time),
            Median(builderRounds, r => r.Time),
            Median(dapperRounds, r => r.Bytes),
            Median(builderRounds, r => r.Bytes),
            Median(ratios, r => r.Time),
            rounds);
    }

    public void Print(double target)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  query (WHERE user_id, published ORDER BY id DESC LIMIT 10, typed): Dapper {DapperMicroseconds:F1} µs, {DapperBytes:F0} B; " +
            $"builder {BuilderMicroseconds:F1} µs, {BuilderBytes:F0} B; ratio (median of {Rounds} paired rounds) {Ratio:F3} (target ≤ {target:F1}: {(Ratio <= target ? "met" : "missed")})"));
    }

    private static async Task<int> BuilderQueryAsync(SqlDatabase db, int user) =>
        (await db.Table("bench_posts").Select("id", "user_id AS userId", "title").Where("user_id", user).Where("published", true).Order("id", "desc").Limit(10).Get<BenchPost>()).Count;

    private static async Task<(double Time, double Bytes)> RoundAsync(Func<int, Task<int>> query, int iterations)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            await query(i);
        }

        var micros = clock.Elapsed.TotalMicroseconds / iterations;
        return (micros, (GC.GetTotalAllocatedBytes(precise: false) - allocated) / (double)iterations);
    }

    private static double Median(List<(double Time, double Bytes)> rounds, Func<(double Time, double Bytes), double> pick)
    {
        var values = new double[rounds.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = pick(rounds[i]);
        }

        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
