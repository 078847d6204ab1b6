namespace CandyPack.Benchmarks.Load;

/// <summary>What a request/response load run achieved.</summary>
internal sealed record LoadResult(long Requests, TimeSpan Elapsed, long Errors, double? ReportedPerSecond = null)
{
    public double PerSecond => ReportedPerSecond ?? Requests / Elapsed.TotalSeconds;
}
