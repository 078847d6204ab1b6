using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (c) Resident memory per idle open stream: the server's VmRSS after a full collection with the streams open, minus
/// the same before they opened, divided by their number. Each stream has sent one event and then nothing.
/// </summary>
internal static class IdleMemoryScenario
{
    /// <summary>Streams opened and closed before the first reading, so code and pools are warm on both sides.</summary>
    private const int WarmupStreams = 200;

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var servers = await ServerPair.StartAsync();
        var candy = await MeasureAsync(servers.Candy, settings.IdleStreams);
        var baseline = await MeasureAsync(servers.Baseline, settings.IdleStreams);
        var streams = settings.IdleStreams.ToString("N0", CultureInfo.InvariantCulture);
        table.Add(new Measurement(
            $"(c) RSS per idle open stream, {streams} streams",
            candy.PerStream,
            baseline.PerStream,
            Units.KiB,
            settings.IdleStreams == 10_000 ? Target.AtMost(4096, "4 KiB") : null));
        table.Add(new Measurement($"(c) server RSS before the {streams} streams opened", candy.Before, baseline.Before, Units.MiB));
    }

    private static async Task<Footprint> MeasureAsync(ServerProcess server, int count)
    {
        using (await StreamCrowd.OpenAsync(server.EndPoint, "/idle", WarmupStreams, Ignore, 256, TimeSpan.FromSeconds(60)))
        {
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = await server.SettledResidentBytesAsync();
        using var crowd = await StreamCrowd.OpenAsync(server.EndPoint, "/idle", count, Ignore, 256, TimeSpan.FromSeconds(180));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await server.SettledResidentBytesAsync();
        var closed = crowd.Clients.Count(c => c.Completion.IsCompleted);
        if (closed > 0)
        {
            throw new InvalidOperationException($"{closed} of {count} idle streams to the {server.Side} server closed while being measured.");
        }

        return new Footprint(before, (double)(after - before) / count);
    }

    private static void Ignore(StreamClient client, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
    }

    private sealed record Footprint(double Before, double PerStream);
}
