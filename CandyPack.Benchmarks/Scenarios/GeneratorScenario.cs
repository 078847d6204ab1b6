using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (a) One client reads a whole async generator as fast as it can: events per second at the client, and the server's
/// CPU time (utime + stime) per event; over SSE on both servers, and on CandyPack also over WebSocket (the same route
/// upgraded, one text message per event).
/// </summary>
internal static class GeneratorScenario
{
    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var servers = await ServerPair.StartAsync();
        using var invoker = WebSocketCrowd.Invoker();
        var webSocket = true;
        // Warm-up: tiered compilation instruments hot methods, then recompiles them in the background after short
        // delays; a few full-size reads with pauses let that finish on both sides before anything is measured.
        for (var warmup = 0; warmup < 3; warmup++)
        {
            foreach (var server in servers.Both)
            {
                await ReadAsync(server, settings.GeneratorItems);
            }

            // One warm-up read over WebSocket (its reads take several times longer) keeps the full run short.
            webSocket = webSocket && (warmup > 0 || await TryReadWebSocketAsync(servers.Candy, settings.GeneratorItems, invoker, table) is not null);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var candy = new List<Run>();
        var baseline = new List<Run>();
        var overWebSocket = new List<Run>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            // Alternating the sides spreads whatever else the machine is doing over both.
            candy.Add(await ReadAsync(servers.Candy, settings.GeneratorItems));
            baseline.Add(await ReadAsync(servers.Baseline, settings.GeneratorItems));
            if (webSocket && await TryReadWebSocketAsync(servers.Candy, settings.GeneratorItems, invoker, table) is { } run)
            {
                overWebSocket.Add(run);
            }

            Console.Error.WriteLine(
                $"    round {round + 1}: CandyPack {Units.PerSecond(candy[^1].EventsPerSecond)}, {Units.Microseconds(candy[^1].CpuSecondsPerEvent)}; " +
                $"ASP.NET Core {Units.PerSecond(baseline[^1].EventsPerSecond)}, {Units.Microseconds(baseline[^1].CpuSecondsPerEvent)}" +
                (overWebSocket.Count == candy.Count ? $"; CandyPack over WebSocket {Units.PerSecond(overWebSocket[^1].EventsPerSecond)}, {Units.Microseconds(overWebSocket[^1].CpuSecondsPerEvent)}" : string.Empty));
        }

        var items = settings.GeneratorItems.ToString("N0", CultureInfo.InvariantCulture);
        var rate = Statistics.MedianRound([.. candy.Zip(baseline, (c, b) => (c.EventsPerSecond, b.EventsPerSecond))]);
        var cpu = Statistics.MedianRound([.. candy.Zip(baseline, (c, b) => (c.CpuSecondsPerEvent, b.CpuSecondsPerEvent))]);
        table.Add(new Measurement($"(a) {items}-item generator, 1 client: events/s", rate.Candy, rate.Baseline, Units.PerSecond));
        table.Add(new Measurement(
            $"(a) {items}-item generator: server CPU per event",
            cpu.Candy,
            cpu.Baseline,
            Units.Microseconds,
            Target.RatioAtMost(1.0)));
        if (overWebSocket.Count == candy.Count)
        {
            rate = Statistics.MedianRound([.. overWebSocket.Zip(candy, (w, s) => (w.EventsPerSecond, s.EventsPerSecond))]);
            cpu = Statistics.MedianRound([.. overWebSocket.Zip(candy, (w, s) => (w.CpuSecondsPerEvent, s.CpuSecondsPerEvent))]);
            table.Add(new Measurement($"(a) {items}-item generator over WebSocket vs over SSE, 1 client: events/s", rate.Candy, rate.Baseline, Units.PerSecond, Target.RatioAtLeast(0.9)));
            table.Add(new Measurement($"(a) {items}-item generator over WebSocket vs over SSE: server CPU per event", cpu.Candy, cpu.Baseline, Units.Microseconds, Target.RatioAtMost(1.1)));
        }
    }

    /// <summary>Reads the generator over WebSocket; null, with a note, when the server cannot (no WebSocket transport).</summary>
    private static async Task<Run?> TryReadWebSocketAsync(ServerProcess server, int items, HttpMessageInvoker invoker, ResultTable table)
    {
        var events = 0;
        var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://{server.EndPoint}/generator?n={items}"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var cpuBefore = server.CpuTime;
        var clock = Stopwatch.StartNew();
        WebSocketClient client;
        try
        {
            client = await WebSocketClient.ConnectAsync(uri, invoker, 0, Count, deflate: false, greeting: null, cancel.Token);
        }
        catch (InvalidOperationException e)
        {
            table.Note($"(a) generator over WebSocket left out: {e.Message}");
            return null;
        }

        using (client)
        {
            await client.Completion.WaitAsync(cancel.Token);
            clock.Stop();
            if (client.CloseStatus != WebSocketCloseStatus.NormalClosure || events != items)
            {
                throw new InvalidOperationException(
                    $"The WebSocket generator sent {events:N0} of {items:N0} events (close status {client.CloseStatus?.ToString() ?? "none"}, error: {client.Error?.Message}).");
            }
        }

        var cpu = server.CpuTime - cpuBefore;
        return new Run(items / clock.Elapsed.TotalSeconds, cpu.TotalSeconds / items);

        // Items are {"data":…} messages; the stream ends with {"event":"end"} and a normal close.
        bool Count(WebSocketClient socket, ReadOnlySpan<byte> message)
        {
            if (message.IndexOf("\"event\""u8) < 0)
            {
                events++;
            }

            return true;
        }
    }

    private static async Task<Run> ReadAsync(ServerProcess server, int items)
    {
        var events = 0;
        var request = HttpRequests.Get(server.EndPoint, string.Create(CultureInfo.InvariantCulture, $"/generator?n={items}"), "text/event-stream");
        var cpuBefore = server.CpuTime;
        var clock = Stopwatch.StartNew();
        using (var client = await StreamClient.OpenAsync(server.EndPoint, request, 0, 64 * 1024, Count, CancellationToken.None))
        {
            await client.Completion.WaitAsync(TimeSpan.FromMinutes(5));
            clock.Stop();
            if (client.StatusCode != 200 || !client.ResponseComplete || events != items)
            {
                throw new InvalidOperationException(
                    $"The {server.Side} generator sent {events:N0} of {items:N0} events (status {client.StatusCode}, complete: {client.ResponseComplete}, error: {client.Error?.Message}).");
            }
        }

        var cpu = server.CpuTime - cpuBefore;
        return new Run(items / clock.Elapsed.TotalSeconds, cpu.TotalSeconds / items);

        // CandyPack ends a finite stream with an `end` event; only default (message) events are items.
        void Count(StreamClient client, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
        {
            if (eventType.IsEmpty)
            {
                events++;
            }
        }
    }

    private sealed record Run(double EventsPerSecond, double CpuSecondsPerEvent);
}
