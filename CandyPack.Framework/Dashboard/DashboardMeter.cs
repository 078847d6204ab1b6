using System.Diagnostics.Metrics;
using CandyPack.Hosting;

namespace CandyPack.Dashboard;

/// <summary>
/// Running totals of the <c>CandyPack</c> meter for the dashboard, gathered with a <see cref="MeterListener"/>: the
/// dashboard draws from the same instruments that Prometheus scrapes. The page turns totals into rates.
/// </summary>
internal sealed class DashboardMeter : IDisposable
{
    private static readonly HashSet<string> Drawn =
        ["candypack.streams.open", "candypack.stream.messages", "candypack.stream.slow_consumers", "candypack.requests", "candypack.request.duration"];

    private readonly MeterListener _listener = new();
    private long _openStreams;
    private long _messages;
    private long _slowConsumers;
    private long _requests;
    private long _requestTicks;

    public DashboardMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only what the dashboard draws: the per-flush byte counter and the rest cost nothing here.
            if (instrument.Meter.Name == CandyMetrics.MeterName && Drawn.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (instrument, value, _, state) => ((DashboardMeter)state!).Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<double>(static (instrument, value, _, state) => ((DashboardMeter)state!).Add(instrument.Name, value));
        _listener.Start();
    }

    /// <summary>The totals now; <c>requestMilliseconds</c> is the sum of every routed request's duration.</summary>
    public DashboardTotals Read() => new(
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Interlocked.Read(ref _openStreams),
        Interlocked.Read(ref _messages),
        Interlocked.Read(ref _slowConsumers),
        Interlocked.Read(ref _requests),
        TimeSpan.FromTicks(Interlocked.Read(ref _requestTicks)).TotalMilliseconds);

    public void Dispose() => _listener.Dispose();

    private void Add(string instrument, long value)
    {
        switch (instrument)
        {
            case "candypack.streams.open": Interlocked.Add(ref _openStreams, value); break;
            case "candypack.stream.messages": Interlocked.Add(ref _messages, value); break;
            case "candypack.stream.slow_consumers": Interlocked.Add(ref _slowConsumers, value); break;
            case "candypack.requests": Interlocked.Add(ref _requests, value); break;
        }
    }

    private void Add(string instrument, double milliseconds)
    {
        if (instrument == "candypack.request.duration")
        {
            Interlocked.Add(ref _requestTicks, TimeSpan.FromMilliseconds(milliseconds).Ticks);
        }
    }
}
