namespace CandyPack.Hosting.Prometheus;

/// <summary>The Prometheus metric type an instrument is written as.</summary>
internal enum PrometheusType
{
    /// <summary><c>Counter</c> and <c>ObservableCounter</c>: a total since the start.</summary>
    Counter,

    /// <summary><c>UpDownCounter</c>, <c>Gauge</c> and the observable up-down counter and gauge: a value now.</summary>
    Gauge,

    /// <summary><c>Histogram</c>: cumulative buckets, <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,
}
