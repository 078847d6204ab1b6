using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace CandyPack.Hosting.Prometheus;

/// <summary>
/// One instrument as a Prometheus metric: its name, type and help, and a series per distinct set of tags. Every sample
/// also carries <c>otel_scope_name</c> (the meter) and <c>otel_scope_version</c> when the meter has one.
/// </summary>
internal sealed class PrometheusInstrument
{
    /// <summary>OpenTelemetry's default bounds, for a histogram whose instrument advises none.</summary>
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<string, PrometheusSeries> _series = new(StringComparer.Ordinal);
    private readonly string _scope;
    private readonly bool _replaces;
    private readonly PrometheusSeries _untagged;
    private volatile bool _untaggedMeasured;

    private PrometheusInstrument(Instrument instrument, PrometheusType type, bool replaces)
    {
        Type = type;
        Name = PrometheusNames.Metric(instrument, type);
        Help = instrument.Description;
        _replaces = replaces;
        Bounds = type == PrometheusType.Histogram ? AdvisedBounds(instrument) ?? DefaultBounds : null;
        _scope = $"otel_scope_name=\"{PrometheusNames.Escape(instrument.Meter.Name)}\"" +
            (string.IsNullOrEmpty(instrument.Meter.Version) ? string.Empty : $",otel_scope_version=\"{PrometheusNames.Escape(instrument.Meter.Version)}\"");
        _untagged = new PrometheusSeries(_scope, Bounds);
    }

    public string Name { get; }

    public PrometheusType Type { get; }

    public string? Help { get; }

    /// <summary>A histogram's upper bucket bounds (advised by the instrument, else OpenTelemetry's defaults); null otherwise.</summary>
    public double[]? Bounds { get; }

    /// <summary>Every series, the untagged one first when it was measured.</summary>
    public IEnumerable<PrometheusSeries> Series => _untaggedMeasured ? _series.Values.Prepend(_untagged) : _series.Values;

    /// <summary>The instrument as a metric, or null for a kind of instrument Prometheus has no type for.</summary>
    public static PrometheusInstrument? For(Instrument instrument)
    {
        var kind = instrument.GetType();
        var definition = kind.IsGenericType ? kind.GetGenericTypeDefinition() : null;
        return definition switch
        {
            _ when definition == typeof(Counter<>) => new(instrument, PrometheusType.Counter, replaces: false),
            _ when definition == typeof(ObservableCounter<>) => new(instrument, PrometheusType.Counter, replaces: true),
            _ when definition == typeof(UpDownCounter<>) => new(instrument, PrometheusType.Gauge, replaces: false),
            _ when definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) =>
                new(instrument, PrometheusType.Gauge, replaces: true),
            _ when definition == typeof(Histogram<>) => new(instrument, PrometheusType.Histogram, replaces: false),
            _ => null,
        };
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        PrometheusSeries series;
        if (tags.IsEmpty)
        {
            series = _untagged;
            _untaggedMeasured = true;
        }
        else
        {
            var labels = Labels(tags);
            series = _series.GetOrAdd(labels, static (key, bounds) => new PrometheusSeries(key, bounds), Bounds);
        }

        if (Type == PrometheusType.Histogram)
        {
            series.Observe(value);
        }
        else if (_replaces)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    /// <summary>The scope labels, then the tags sorted by name, as <c>name="value"</c> pairs.</summary>
    private string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var labels = new StringBuilder(_scope);
        foreach (var (key, value) in sorted)
        {
            labels.Append(',').Append(PrometheusNames.Sanitize(key, label: true))
                .Append("=\"").Append(PrometheusNames.Escape(PrometheusNames.TagValue(value))).Append('"');
        }

        return labels.ToString();
    }

    private static double[]? AdvisedBounds(Instrument instrument)
    {
        var bounds = instrument switch
        {
            Instrument<double> d => d.Advice?.HistogramBucketBoundaries?.ToArray(),
            Instrument<float> f => f.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Instrument<long> l => l.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Instrument<int> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return bounds is { Length: > 0 } ? bounds : null;
    }
}
