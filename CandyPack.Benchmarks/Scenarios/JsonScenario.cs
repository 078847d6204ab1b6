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
        var routes = new (string Figure, ServerProcess Server, string Path)[]
        {
            ("inline route returning an object", servers.Candy, "/json"),
            ("controller calling candy.Return", servers.Candy, "/json/controller"),
        };

        foreach (var (_, server, path) in routes)
        {
            await LoadAsync(server, path, settings.JsonWarmup);
        }

        await LoadAsync(servers.Baseline, "/json", settings.JsonWarmup);

        // The baseline is measured between and after the CandyPack runs and averaged, to spread drift over both.
        var baselineRuns = new List<Sample>();
        var candyRuns = new List<Sample>();
        foreach (var (_, server, path) in routes)
        {
            candyRuns.Add(await LoadAsync(server, path, settings.JsonDuration));
            baselineRuns.Add(await LoadAsync(servers.Baseline, "/json", settings.JsonDuration));
        }

        var baseline = new Sample(baselineRuns.Average(s => s.PerSecond), baselineRuns.Average(s => s.CpuPerRequest));
        for (var i = 0; i < routes.Length; i++)
        {
            table.Add(new Measurement($"(d) JSON, {routes[i].Figure}: requests/s", candyRuns[i].PerSecond, baseline.PerSecond, Units.PerSecond, Target.RatioAtLeast(0.9)));
            table.Add(new Measurement($"(d) JSON, {routes[i].Figure}: server CPU per request", candyRuns[i].CpuPerRequest, baseline.CpuPerRequest, Units.Microseconds));
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

            return new Sample(result.PerSecond, cpu.TotalSeconds / Math.Max(1, result.Requests));
        }
    }

    private sealed record Sample(double PerSecond, double CpuPerRequest);
}
