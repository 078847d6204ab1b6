using System.Diagnostics;
using System.Globalization;
using CandyPack.Data;

namespace CandyPack.Benchmarks.Data;

/// <summary>
/// Streams the whole <c>bench_stream</c> table through <c>Query.Stream()</c>, consuming each row as a consumer such as
/// <c>candy.Stream</c> would, and samples the managed heap after a full collection at every tenth of the way.
/// </summary>
internal sealed record RowStreamMemory(long Rows, double Seconds, long FirstHeap, long PeakHeap, long LastHeap, long PeakWorkingSet)
{
    /// <summary>What the heap may grow by from the first sample to any later one: far less than the rows would take buffered.</summary>
    private const long FlatBytes = 8 * 1024 * 1024;

    public bool Flat => PeakHeap - FirstHeap < FlatBytes;

    public static async Task<RowStreamMemory> MeasureAsync(SqlDatabase db, int rows)
    {
        var every = Math.Max(1, rows / 10);
        long count = 0;
        long checksum = 0;
        long first = 0;
        long peak = 0;
        long last = 0;
        long peakWorkingSet = 0;
        var clock = Stopwatch.StartNew();
        await foreach (var row in db.Table("bench_stream").Select("id", "n", "payload").Stream())
        {
            checksum += ((string)row["payload"]!).Length;
            if (++count % every == 0)
            {
                last = GC.GetTotalMemory(forceFullCollection: true);
                first = first == 0 ? last : first;
                peak = Math.Max(peak, last);
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
            }
        }

        clock.Stop();
        if (count != rows || checksum != 80L * rows)
        {
            throw new InvalidOperationException($"Streamed {count} rows (checksum {checksum}), expected {rows}.");
        }

        return new RowStreamMemory(count, clock.Elapsed.TotalSeconds, first, peak, last, peakWorkingSet);
    }

    public void Print()
    {
        const double MiB = 1024 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  stream {Rows:N0} rows: {Rows / Seconds:N0} rows/s; managed heap after GC at 10% {FirstHeap / MiB:F1} MiB, peak {PeakHeap / MiB:F1} MiB, at 100% {LastHeap / MiB:F1} MiB; " +
            $"peak working set {PeakWorkingSet / MiB:F0} MiB ({(Flat ? "flat" : "NOT flat")})"));
    }
}
