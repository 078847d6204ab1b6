using System.Diagnostics;

namespace CandyPack.Tests.Support;

/// <summary>esbuild from the client package's locked dev dependencies (clients/js/node_modules), run as a process.</summary>
internal static class Esbuild
{
    /// <summary>Runs esbuild in the client package folder with <paramref name="arguments"/>; fails the test with its output when it fails.</summary>
    public static async Task RunAsync(params string[] arguments)
    {
        var package = TestServices.ClientPackage;
        var executable = Path.Combine(package, "node_modules", ".bin", "esbuild");
        if (!File.Exists(executable))
        {
            Assert.Fail($"{executable} is missing: run scripts/test.sh, which runs npm ci in {package}.");
        }

        var start = new ProcessStartInfo(executable) { WorkingDirectory = package, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"esbuild {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }
}
