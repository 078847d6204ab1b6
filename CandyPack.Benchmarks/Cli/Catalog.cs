using CandyPack.Benchmarks.Scenarios;

namespace CandyPack.Benchmarks.Cli;

/// <summary>Every benchmark the command line knows, by name. <c>all</c> runs the scenarios, then the standalone benchmarks.</summary>
internal static class Catalog
{
    /// <summary>The streaming suite, in the order <c>all</c> runs it; their figures make one table.</summary>
    public static IReadOnlyList<Scenario> Scenarios { get; } =
    [
        new("generator", "(a) one client reads a 1,000,000-item async generator over SSE, and on CandyPack over WebSocket: events/s and server CPU per event", GeneratorScenario.RunAsync),
        new("broadcast", "(b) one message to 1,000 and 10,000 clients by candy.Channel over SSE and WebSocket, by Send on each handle, and by a SignalR hub: deliveries/s, CPU, p50/p99", BroadcastScenario.RunAsync),
        new("memory", "(c) memory per idle open stream at 10,000 streams, over HTTP/1.1 and over 100 h2c connections", IdleMemoryScenario.RunAsync),
        new("json", "(d) requests/s of a Return JSON route against Results.Json (wrk -t2 -c50 -d10s)", JsonScenario.RunAsync),
        new("reconnect", "(e) 10,000 channel subscribers drop and resume with Last-Event-ID: time and server CPU", ReconnectStormScenario.RunAsync),
        new("compression", "(f) the generator read uncompressed and compressed (SSE gzip/Brotli, WebSocket permessage-deflate): bytes on the wire and server CPU per event", CompressionScenario.RunAsync),
        new("presence", "(g) presence of a channel with 10,000 users: the list's time, and 10,000 users joining and leaving at once, in memory and with Redis: time, server CPU, Redis commands per join", PresenceScenario.RunAsync),
    ];

    /// <summary>
    /// Benchmarks with a runner of their own, given the command line as it was typed and printing their own output;
    /// options of their own take the <c>--name=value</c> form. One joins with one line here.
    /// </summary>
    public static IReadOnlyDictionary<string, Func<string[], Task<int>>> Standalone { get; } =
        new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["data"] = Data.DataBenchmark.RunAsync,
        };
}
