using System.Globalization;
using System.Runtime.InteropServices;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Cli;

/// <summary>Runs the chosen streaming scenarios and prints their figures as one Markdown table with the conditions of the run.</summary>
internal static class SuiteRunner
{
    public static async Task<int> RunAsync(IReadOnlyList<Scenario> scenarios, BenchSettings settings)
    {
        var table = new ResultTable();
        var loadAtStart = LoadAverage();
        var started = DateTimeOffset.UtcNow;
        var failed = 0;
        foreach (var scenario in scenarios)
        {
            Console.Error.WriteLine($"{scenario.Name}: {scenario.Description}");
            try
            {
                await scenario.RunAsync(settings, table);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                // One broken scenario should not cost the figures of the others; it is reported under the table.
                failed++;
                table.Note($"{scenario.Name} failed: {e.GetType().Name}: {e.Message}");
            }
        }

        var output = Console.Out;
        await output.WriteLineAsync(Header(settings, started, loadAtStart));
        await output.WriteLineAsync(table.ToMarkdown(judgeTargets: !settings.Quick));
        await output.WriteLineAsync("The figures with a target, for \"Current ratios\" in docs/performance.md:");
        await output.WriteLineAsync();
        await output.WriteLineAsync(table.ToRatioMarkdown(judgeTargets: !settings.Quick));
        return failed == 0 ? 0 : 1;
    }

    private static string Header(BenchSettings settings, DateTimeOffset started, string loadAtStart)
    {
#if DEBUG
        const string build = "Debug build: figures are not representative, use -c Release";
#else
        const string build = "Release build";
#endif
        var minutes = (DateTimeOffset.UtcNow - started).TotalMinutes;
        return string.Create(CultureInfo.InvariantCulture, $"""
            ## CandyPack benchmarks{(settings.Quick ? " (--quick: reduced sizes, targets not judged)" : string.Empty)}

            - {started:yyyy-MM-dd HH:mm} UTC, {minutes:0.0} min; {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {build}.
            - Load average at start (1/5/15 min): {loadAtStart}. Other work on the machine shows up in every figure.
            - Each server is a separate process on 127.0.0.1 with the workstation GC (DOTNET_gcServer=0), both sides alike; the clients run in this process.
            - Baseline: plain ASP.NET Core minimal API, TypedResults.ServerSentEvents for streams, Results.Json for JSON; a figure that says "vs" names its baseline instead (a SignalR hub, CandyPack over SSE, CandyPack uncompressed).

            """);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
