using System.Diagnostics;
using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (a) One client reads a whole async generator as fast as it can: events per second at the client, and the server's
/// CPU time (utime + stime) per event.
/// </summary>
internal static class GeneratorScenario
{
    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var servers = await ServerPair.StartAsync();
        // Warm-up: tiered compilation instruments hot methods, then recompiles them in the background after short
        // delays; a few full-size reads with pauses let that finish on both sides before anything is measured.
        for (var warmup = 0; warmup < 3; warmup++)
        {
            foreach (var server in servers.Both)
            {
                await ReadAsync(server, settings.GeneratorItems);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var candy = new List<Run>();
        var baseline = new List<Run>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            // Alternating the sides spreads whatever else the machine is doing over both.
            candy.Add(await ReadAsync(servers.Candy, settings.GeneratorItems));
            baseline.Add(await ReadAsync(servers.Baseline, settings.GeneratorItems));
            Console.Error.WriteLine(
                $"    round {round + 1}: CandyPack {Units.PerSecond(candy[^1].EventsPerSecond)}, {Units.Microseconds(candy[^1].CpuSecondsPerEvent)}; " +
                $"ASP.NET Core {Units.PerSecond(baseline[^1].EventsPerSecond)}, {Units.Microseconds(baseline[^1].CpuSecondsPerEvent)}");
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
