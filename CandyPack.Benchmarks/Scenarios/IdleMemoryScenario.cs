using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (c) Resident memory per idle open stream: the server's VmRSS after a full collection with the streams open, minus
/// the same before they opened, divided by their number. Each stream has sent one event and then nothing. The managed
/// heap is read the same way, to tell objects from native and runtime memory; and a bare ASP.NET Core response held
/// open shows the floor that Kestrel's per-connection state sets for both sides.
/// </summary>
internal static class IdleMemoryScenario
{
    /// <summary>Streams opened and closed before the first reading, so code and pools are warm on both sides.</summary>
    private const int WarmupStreams = 200;

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var count = settings.IdleStreams;
        await using var servers = await ServerPair.StartAsync();
        var candy = await MeasureAsync(servers.Candy, "/idle", count, settings.Hold);
        var baseline = await MeasureAsync(servers.Baseline, "/idle", count, settings.Hold);
        Footprint floor;
        // A server of its own, so that nothing the other measurements left in Kestrel's pools lowers the floor.
        await using (var bare = await ServerProcess.StartAsync("baseline"))
        {
            floor = await MeasureAsync(bare, "/idle/raw", count, settings.Hold);
        }

        var streams = count.ToString("N0", CultureInfo.InvariantCulture);
        table.Add(new Measurement(
            $"(c) RSS per idle open stream, {streams} streams",
            candy.ResidentPerStream,
            baseline.ResidentPerStream,
            Units.KiB,
            count == 10_000 ? Target.AtMost(4096, "4 KiB") : null));
        table.Add(new Measurement($"(c) managed heap per idle open stream, {streams} streams", candy.HeapPerStream, baseline.HeapPerStream, Units.KiB));
        table.Add(new Measurement(
            $"(c) floor: RSS per bare ASP.NET Core response held open (no SSE library), {streams}",
            double.NaN,
            floor.ResidentPerStream,
            Units.KiB));
        table.Add(new Measurement(
            $"(c) floor: managed heap per bare response held open, {streams}",
            double.NaN,
            floor.HeapPerStream,
            Units.KiB));
        table.Add(new Measurement("(c) server RSS before the streams opened", candy.Before, baseline.Before, Units.MiB));
    }

    private static async Task<Footprint> MeasureAsync(ServerProcess server, string path, int count, TimeSpan hold)
    {
        using (await StreamCrowd.OpenAsync(server.EndPoint, path, WarmupStreams, Ignore, 256, TimeSpan.FromSeconds(60)))
        {
        }

        // The warm-up streams close on the server side asynchronously; let them finish before the first reading.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = await server.SettleAsync();
        using var crowd = await StreamCrowd.OpenAsync(server.EndPoint, path, count, Ignore, 256, TimeSpan.FromSeconds(180));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await server.SettleAsync();
        var closed = crowd.Clients.Count(c => c.Completion.IsCompleted);
        if (closed > 0)
        {
            throw new InvalidOperationException($"{closed} of {count} idle streams to the {server.Side} server ({path}) closed while being measured.");
        }

        if (hold > TimeSpan.Zero)
        {
            Console.Error.WriteLine($"  holding {count} streams to {path} open for {hold.TotalSeconds} s: {server.Side} server pid {server.Pid}");
            await Task.Delay(hold);
        }

        return new Footprint(
            before.Resident,
            (double)(after.Resident - before.Resident) / count,
            (double)(after.ManagedHeap - before.ManagedHeap) / count);
    }

    private static void Ignore(StreamClient client, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
    }

    private sealed record Footprint(double Before, double ResidentPerStream, double HeapPerStream);
}
