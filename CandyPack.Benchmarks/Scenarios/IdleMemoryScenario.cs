using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (c) Memory per idle open stream: the server's VmRSS and managed heap after a full collection with the streams open,
/// minus the same before they opened, divided by their number. Each stream has sent one event and then nothing. A bare
/// ASP.NET Core response held open (no SSE library) shows the floor that Kestrel's per-connection and per-request state
/// sets for both sides; what lies above it is the framework's own. Measured over HTTP/1.1 (a connection per stream)
/// and over cleartext HTTP/2 (h2c, a hundred streams per connection). Every figure comes from a fresh server process,
/// so nothing an earlier measurement left in Kestrel's pools lowers a later one.
/// </summary>
internal static class IdleMemoryScenario
{
    /// <summary>Streams opened and closed before the first reading, so code and pools are warm on both sides.</summary>
    private const int WarmupStreams = 200;

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var count = settings.IdleStreams;
        var streams = count.ToString("N0", CultureInfo.InvariantCulture);
        var judged = count == 10_000;

        Task<OpenStreams> Http1(ServerProcess server, string path, int n) => OpenHttp1Async(server, path, n);
        var (candy, baseline, floor) = await MeasureAllAsync(Http1, count, settings.Hold);
        table.Add(new Measurement($"(c) RSS per idle open stream, {streams} streams", candy.ResidentPerStream, baseline.ResidentPerStream, Units.KiB));
        table.Add(new Measurement($"(c) managed heap per idle open stream, {streams} streams", candy.HeapPerStream, baseline.HeapPerStream, Units.KiB));
        AddFloor(table, $"(c) floor: bare ASP.NET Core response held open (no SSE library), {streams}", floor);
        table.Add(new Measurement(
            $"(c) own memory per idle stream above the floor: managed heap, {streams} streams",
            candy.HeapPerStream - floor.HeapPerStream,
            baseline.HeapPerStream - floor.HeapPerStream,
            Units.KiB,
            judged ? Target.AtMost(1024, "1 KiB") : null));
        table.Add(new Measurement(
            $"(c) own memory per idle stream above the floor: RSS, {streams} streams",
            candy.ResidentPerStream - floor.ResidentPerStream,
            baseline.ResidentPerStream - floor.ResidentPerStream,
            Units.KiB));
        table.Add(new Measurement("(c) server RSS before the streams opened", candy.Before, baseline.Before, Units.MiB));

        var perConnection = settings.StreamsPerH2Connection;
        var connections = (count + perConnection - 1) / perConnection;
        Task<OpenStreams> H2c(ServerProcess server, string path, int n) => OpenH2cAsync(server, path, n, perConnection);
        (candy, baseline, floor) = await MeasureAllAsync(H2c, count, settings.Hold);
        var name = $"(c) h2c, {streams} idle streams over {connections.ToString("N0", CultureInfo.InvariantCulture)} connections";
        table.Add(new Measurement($"{name}: RSS per stream", candy.ResidentPerStream, baseline.ResidentPerStream, Units.KiB));
        table.Add(new Measurement($"{name}: managed heap per stream", candy.HeapPerStream, baseline.HeapPerStream, Units.KiB));
        AddFloor(table, $"(c) h2c floor: bare response held open, {streams} over {connections}", floor);
        table.Add(new Measurement(
            $"{name}: own managed heap per stream above the h2c floor",
            candy.HeapPerStream - floor.HeapPerStream,
            baseline.HeapPerStream - floor.HeapPerStream,
            Units.KiB));
    }

    private static void AddFloor(ResultTable table, string name, Footprint floor)
    {
        table.Add(new Measurement($"{name}: RSS per stream", double.NaN, floor.ResidentPerStream, Units.KiB));
        table.Add(new Measurement($"{name}: managed heap per stream", double.NaN, floor.HeapPerStream, Units.KiB));
    }

    /// <summary>CandyPack's <c>/idle</c>, the baseline's <c>/idle</c> and the bare floor, each on a fresh server.</summary>
    private static async Task<(Footprint Candy, Footprint Baseline, Footprint Floor)> MeasureAllAsync(
        Func<ServerProcess, string, int, Task<OpenStreams>> open, int count, TimeSpan hold)
    {
        Footprint candy, baseline;
        await using (var servers = await ServerPair.StartAsync())
        {
            candy = await MeasureAsync(servers.Candy, "/idle", count, hold, open);
            baseline = await MeasureAsync(servers.Baseline, "/idle", count, hold, open);
        }

        await using var bare = await ServerProcess.StartAsync("baseline");
        return (candy, baseline, await MeasureAsync(bare, "/idle/raw", count, hold, open));
    }

    private static async Task<Footprint> MeasureAsync(
        ServerProcess server, string path, int count, TimeSpan hold, Func<ServerProcess, string, int, Task<OpenStreams>> open)
    {
        (await open(server, path, WarmupStreams)).Crowd.Dispose();

        // The warm-up streams close on the server side asynchronously; let them finish before the first reading.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = await server.SettleAsync();
        var streams = await open(server, path, count);
        using var crowd = streams.Crowd;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await server.SettleAsync();
        if (streams.Closed() is var closed and > 0)
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

    private static async Task<OpenStreams> OpenHttp1Async(ServerProcess server, string path, int count)
    {
        var crowd = await StreamCrowd.OpenAsync(server.EndPoint, path, count, Ignore, 256, TimeSpan.FromSeconds(180));
        return new OpenStreams(crowd, () => crowd.Clients.Count(c => c.Completion.IsCompleted));
    }

    private static async Task<OpenStreams> OpenH2cAsync(ServerProcess server, string path, int count, int perConnection)
    {
        var crowd = await H2StreamCrowd.OpenAsync(server.H2cEndPoint, path, count, perConnection, TimeSpan.FromSeconds(180));
        return new OpenStreams(crowd, () => crowd.Closed);
    }

    private static void Ignore(StreamClient client, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
    }

    /// <summary>Open streams of either transport, and how many of them have closed since.</summary>
    private sealed record OpenStreams(IDisposable Crowd, Func<int> Closed);

    private sealed record Footprint(double Before, double ResidentPerStream, double HeapPerStream);
}
