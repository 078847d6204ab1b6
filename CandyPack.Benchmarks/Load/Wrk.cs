using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CandyPack.Benchmarks.Load;

/// <summary>Runs wrk (HTTP/1.1, keep-alive) against one URL and reads its summary.</summary>
internal static partial class Wrk
{
    public static bool IsInstalled =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, "wrk")));

    public static async Task<LoadResult> RunAsync(IPEndPoint server, string path, int threads, int connections, TimeSpan duration)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-t" + threads.ToString(CultureInfo.InvariantCulture),
            "-c" + connections.ToString(CultureInfo.InvariantCulture),
            "-d" + ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "5s",
            $"http://{server}{path}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
        var output = wrk.StandardOutput.ReadToEndAsync();
        var errors = wrk.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        await wrk.WaitForExitAsync(timeout.Token);
        var text = await output;
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed (exit {wrk.ExitCode}): {await errors}{text}");
        }

        var requests = Match(RequestsLine(), text, "requests in");
        var perSecond = Match(RateLine(), text, "Requests/sec");
        var failed = (RejectedLine().Match(text) is { Success: true } rejected ? long.Parse(rejected.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
            + SocketErrors(text);
        return new LoadResult((long)requests, duration, failed, perSecond);
    }

    private static double Match(Regex pattern, string text, string what)
    {
        var match = pattern.Match(text);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"wrk's output has no '{what}' line:{Environment.NewLine}{text}");
    }

    /// <summary>Connect, read, write and timeout errors; a kept-alive run should have none.</summary>
    private static long SocketErrors(string text)
    {
        var match = SocketErrorLine().Match(text);
        return match.Success
            ? Enumerable.Range(1, 4).Sum(i => long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture))
            : 0;
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex RejectedLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorLine();
}
