using System.Diagnostics.Metrics;

namespace CandyPack.Hosting;

/// <summary>
/// The framework's instruments, on the meter <c>CandyPack</c> (watch with
/// <c>dotnet-counters monitor -n CandyPack.Host --counters CandyPack</c>). Adding to an instrument nobody listens to costs a branch.
/// </summary>
internal static class CandyMetrics
{
    public const string MeterName = "CandyPack";

    private static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly UpDownCounter<long> OpenStreams =
        Meter.CreateUpDownCounter<long>("candypack.streams.open", "{stream}", "Event streams open now");

    public static readonly Counter<long> MessagesSent =
        Meter.CreateCounter<long>("candypack.stream.messages", "{message}", "Stream messages written, heartbeats and end events included");

    public static readonly Counter<long> BytesSent =
        Meter.CreateCounter<long>("candypack.stream.bytes", "By", "Stream bytes flushed to clients");

    public static readonly Counter<long> SlowConsumers =
        Meter.CreateCounter<long>("candypack.stream.slow_consumers", "{stream}", "Streams whose client fell behind its queue");

    public static readonly Counter<long> ChannelGaps =
        Meter.CreateCounter<long>("candypack.channel.gaps", "{gap}", "Pub/sub messages a channel missed while connected to Redis, by outcome: recovered from the stream, or reset");

    public static readonly Counter<long> Requests =
        Meter.CreateCounter<long>("candypack.requests", "{request}", "Requests handled by routes");

    public static readonly Histogram<double> RequestDuration =
        Meter.CreateHistogram<double>("candypack.request.duration", "ms", "Time to handle a routed request, until its response or stream ended");
}
