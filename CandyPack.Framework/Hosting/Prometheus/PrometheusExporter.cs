using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace CandyPack.Hosting.Prometheus;

/// <summary>
/// Collects the exported meters with a <see cref="MeterListener"/> from the moment it is created and writes them in the
/// Prometheus text format (0.0.4) on each scrape, cumulatively. A meter made by a host's <see cref="IMeterFactory"/>
/// (ASP.NET Core's, Kestrel's) counts only when it is this host's; a static meter (<c>CandyPack</c>) is the process's.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, PrometheusInstrument> _instruments = new();
    private readonly string _targetInfo;

    /// <param name="meters">The names of the meters to export.</param>
    /// <param name="meterFactory">The host's meter factory: meters it made for another host in the process are left out.</param>
    /// <param name="serviceName">The <c>service_name</c> of <c>target_info</c>: the site's name.</param>
    public PrometheusExporter(IReadOnlyCollection<string> meters, IMeterFactory? meterFactory, string serviceName)
    {
        _targetInfo = $"target_info{{service_name=\"{PrometheusNames.Escape(serviceName)}\"}} 1";
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Contains(instrument.Meter.Name)
                && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, meterFactory))
                && PrometheusInstrument.For(instrument) is { } metric)
            {
                _instruments[instrument] = metric;
                listener.EnableMeasurementEvents(instrument, metric);
            }
        };
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((PrometheusInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((PrometheusInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((PrometheusInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((PrometheusInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((PrometheusInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((PrometheusInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((PrometheusInstrument)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Every metric now: observable instruments are read first; metrics sharing a name are written under one TYPE.</summary>
    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        text.Append("# TYPE target_info gauge\n# HELP target_info Target metadata\n").Append(_targetInfo).Append('\n');
        foreach (var metric in _instruments.Values.GroupBy(i => i.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = metric.First();
            var instruments = metric.Where(i => i.Type == first.Type).Select(i => (Instrument: i, Series: i.Series.ToList())).ToList();
            if (instruments.All(i => i.Series.Count == 0))
            {
                continue; // nothing measured yet, such as slow consumers on a healthy instance
            }

            var type = first.Type.ToString().ToLowerInvariant();
            text.Append("# TYPE ").Append(metric.Key).Append(' ').Append(type).Append('\n');
            if (!string.IsNullOrEmpty(first.Help))
            {
                text.Append("# HELP ").Append(metric.Key).Append(' ').Append(PrometheusNames.Escape(first.Help, quoted: false)).Append('\n');
            }

            foreach (var (instrument, series) in instruments.SelectMany(i => i.Series.Select(s => (i.Instrument, s))))
            {
                Write(text, instrument, series);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static void Write(StringBuilder text, PrometheusInstrument instrument, PrometheusSeries series)
    {
        if (instrument.Type != PrometheusType.Histogram)
        {
            Sample(text, instrument.Name, series.Labels, series.Value);
            return;
        }

        var (cumulative, sum, count) = series.Histogram();
        var bounds = instrument.Bounds!;
        for (var i = 0; i < cumulative.Length; i++)
        {
            var le = i < bounds.Length ? PrometheusNames.Number(bounds[i]) : "+Inf";
            Sample(text, instrument.Name + "_bucket", $"{series.Labels},le=\"{le}\"", cumulative[i]);
        }

        Sample(text, instrument.Name + "_sum", series.Labels, sum);
        Sample(text, instrument.Name + "_count", series.Labels, count);
    }

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(PrometheusNames.Number(value)).Append('\n');
}
