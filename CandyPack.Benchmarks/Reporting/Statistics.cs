namespace CandyPack.Benchmarks.Reporting;

/// <summary>Summaries of repeated measurements.</summary>
internal static class Statistics
{
    /// <summary>
    /// Of rounds that each measured both sides back to back, the one whose CandyPack ÷ baseline ratio is the median
    /// (the lower middle for an even count). Comparing within a round keeps a burst of other load on the machine from
    /// pairing a quiet round of one side with a busy round of the other; reporting one round keeps the two values and
    /// their ratio consistent.
    /// </summary>
    public static (double Candy, double Baseline) MedianRound(IReadOnlyList<(double Candy, double Baseline)> rounds)
    {
        if (rounds.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var byRatio = rounds.OrderBy(r => r.Candy / r.Baseline).ToList();
        return byRatio[(byRatio.Count - 1) / 2];
    }

    /// <summary>The value at fraction <paramref name="fraction"/> (0.5 for p50, 0.99 for p99) of ascending <paramref name="sorted"/> values, by the nearest rank below.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)(fraction * (sorted.Count - 1))];
}
