namespace CandyPack.Hosting.Prometheus;

/// <summary>
/// One time series of an instrument (one set of labels): a running sum (counters, up-down counters), the last value
/// (gauges and observable instruments), or histogram buckets. Measurements may come from any thread at once.
/// </summary>
internal sealed class PrometheusSeries
{
    private readonly double[]? _bounds;
    private readonly long[]? _buckets;
    private long _valueBits;
    private double _sum;
    private long _count;

    /// <param name="labels">The rendered labels, <c>name="value",...</c>, or empty.</param>
    /// <param name="bounds">A histogram's upper bucket bounds, in increasing order; null for a sum or a value.</param>
    public PrometheusSeries(string labels, double[]? bounds)
    {
        Labels = labels;
        _bounds = bounds;
        _buckets = bounds is null ? null : new long[bounds.Length + 1];
    }

    public string Labels { get; }

    /// <summary>Adds <paramref name="value"/> to the sum, without a lock: this is on every stream message's path.</summary>
    public void Add(double value)
    {
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _valueBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
        }
        while (Interlocked.CompareExchange(ref _valueBits, next, seen) != seen);
    }

    /// <summary>Replaces the value: a gauge's last reading, or an observable instrument's own total.</summary>
    public void Set(double value) => Interlocked.Exchange(ref _valueBits, BitConverter.DoubleToInt64Bits(value));

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _valueBits));

    /// <summary>Counts <paramref name="value"/> in the first bucket whose bound it does not exceed (the last is +Inf).</summary>
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return; // no bucket holds it, and it would make the sum NaN for good
        }

        var bucket = Array.BinarySearch(_bounds!, value);
        bucket = bucket >= 0 ? bucket : ~bucket;
        lock (_buckets!)
        {
            _buckets[bucket]++;
            _sum += value;
            _count++;
        }
    }

    /// <summary>The histogram as read in one moment: cumulative counts per bound (the last for +Inf), the sum and the count.</summary>
    public (long[] Cumulative, double Sum, long Count) Histogram()
    {
        var cumulative = new long[_buckets!.Length];
        double sum;
        long count;
        lock (_buckets)
        {
            long running = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                running += _buckets[i];
                cumulative[i] = running;
            }

            sum = _sum;
            count = _count;
        }

        return (cumulative, sum, count);
    }
}
