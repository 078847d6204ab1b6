namespace CandyPack.Hosting;

/// <summary>
/// Lets one warning of a kind through per interval and counts the rest, so what any client can cause many times (a
/// refused message, a join during an outage) costs one log line a minute, not one each.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval)
{
    private readonly long _intervalMilliseconds = (long)interval.TotalMilliseconds;
    private long _next = long.MinValue;
    private long _suppressed;

    /// <summary>
    /// <see langword="true"/> when this occurrence should be logged, with how many were not since the last one that was;
    /// otherwise it is counted.
    /// </summary>
    public bool TryTake(out long suppressed)
    {
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _next);
        if (now >= next && Interlocked.CompareExchange(ref _next, now + _intervalMilliseconds, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
