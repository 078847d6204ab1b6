using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (d) Requests/s of a regular JSON response: CandyPack's inline route returning an object and its controller calling
/// <c>candy.Return</c>, each against a minimal API <c>Results.Json</c> route with the same body, plus the server's CPU
/// time per request (which, unlike requests/s, does not depend on how much CPU the load generator leaves over).
/// </summary>
internal static class JsonScenario
{
    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var useWrk = settings.UseWrk && Wrk.IsInstalled;
        if (!useWrk)
        {
            table.Note("(d) ran with the in-process load client: " + (settings.UseWrk ? "wrk is not installed." : "--no-wrk was given."));
        }

        await using var servers = await ServerPair.StartAsync();
        var targets = new (string Name, ServerProcess Server, string Path)[]
        {
            ("inline route returning an object", servers.Candy, "/json"),
            ("controller calling candy.Return", servers.Candy, "/json/controller"),
            ("Results.Json", servers.Baseline, "/json"),
        };

        foreach (var target in targets)
        {
            await LoadAsync(target.Server, target.Path, settings.JsonWarmup);
        }

        // Each round runs every target once, starting one further along, so drift in the machine's other load and
        // the position right after a warm-up fall on every target alike; each figure comes from the round with the
        // median ratio.
        var samples = targets.Select(_ => new List<Sample>()).ToArray();
        for (var round = 0; round < settings.Rounds; round++)
        {
            for (var k = 0; k < targets.Length; k++)
            {
                var i = (round + k) % targets.Length;
                samples[i].Add(await LoadAsync(targets[i].Server, targets[i].Path, settings.JsonDuration));
            }
        }

        var baseline = samples[^1];
        for (var i = 0; i < targets.Length - 1; i++)
        {
            var rate = Statistics.MedianRound([.. samples[i].Zip(baseline, (c, b) => (c.PerSecond, b.PerSecond))]);
            var cpu = Statistics.MedianRound([.. samples[i].Zip(baseline, (c, b) => (c.CpuPerRequest, b.CpuPerRequest))]);
            table.Add(new Measurement($"(d) JSON, {targets[i].Name}: requests/s", rate.Candy, rate.Baseline, Units.PerSecond, Target.RatioAtLeast(0.9)));
            table.Add(new Measurement($"(d) JSON, {targets[i].Name}: server CPU per request", cpu.Candy, cpu.Baseline, Units.Microseconds));
        }

        async Task<Sample> LoadAsync(ServerProcess server, string path, TimeSpan duration)
        {
            var cpuBefore = server.CpuTime;
            var result = useWrk
                ? await Wrk.RunAsync(server.EndPoint, path, settings.JsonThreads, settings.JsonConnections, duration)
                : await HttpLoadClient.RunAsync(server.EndPoint, path, settings.JsonConnections, duration);
            var cpu = server.CpuTime - cpuBefore;
            if (result.Errors > 0)
            {
                table.Note($"(d) {server.Side} {path}: {result.Errors} failed requests of {result.Requests}.");
            }

            var sample = new Sample(result.PerSecond, cpu.TotalSeconds / Math.Max(1, result.Requests));
            Console.Error.WriteLine($"    {server.Side} {path}, {duration.TotalSeconds} s: {Units.PerSecond(sample.PerSecond)}, {Units.Microseconds(sample.CpuPerRequest)} per request");
            return sample;
        }
    }

    private sealed record Sample(double PerSecond, double CpuPerRequest);
}
