using System.Diagnostics;
using System.Text;

namespace CandyPack.Host;

/// <summary>Builds a site's project with the .NET SDK, or finds an already-built one, and returns the site assembly's path.</summary>
internal static class SiteBuilder
{
    private static readonly string[] Configurations = ["Release", "Debug"];

    /// <exception cref="CandyStartupException">The folder holds no single project, or the build failed; the message carries the compiler's errors.</exception>
    public static async Task<string> BuildAsync(string folder, CancellationToken cancellationToken)
    {
        var project = FindProject(folder);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var arg in new[] { "build", project, "-nologo", "-v:q", "-clp:NoSummary", "-t:Build", "-getProperty:TargetPath" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new CandyStartupException("Could not start 'dotnet build': is the .NET SDK on PATH?");
        var output = new StringBuilder();
        var stdout = CopyAsync(process.StandardOutput, output);
        var stderr = CopyAsync(process.StandardError, output);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(stdout, stderr);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0)
        {
            var errors = lines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
            throw new CandyStartupException(
                $"Site {folder} failed to compile ({errors.Count} error(s)):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors.Count > 0 ? errors : lines));
        }

        var target = lines.LastOrDefault(l => l.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(l));
        return target ?? throw new CandyStartupException($"Site {folder} built, but its output assembly was not reported: {string.Join(' ', lines)}");
    }

    /// <summary>Finds the site assembly without building: a published folder (one <c>*.deps.json</c>), else the project's newest build output.</summary>
    public static string FindBuilt(string folder)
    {
        var deps = Directory.GetFiles(folder, "*.deps.json");
        if (deps.Length == 1)
        {
            var dll = deps[0][..^".deps.json".Length] + ".dll";
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        var name = Path.GetFileNameWithoutExtension(FindProject(folder));
        var built = Configurations
            .Select(c => Path.Combine(folder, "bin", c, "net10.0", name + ".dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        return built ?? throw new CandyStartupException(
            $"--no-build: {folder} is neither a published site (no single *.deps.json) nor a built project (no bin/Release or bin/Debug output for {name}). Build or publish it first.");
    }

    private static string FindProject(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CandyStartupException($"Site folder {folder} does not exist.");
        }

        var projects = Directory.GetFiles(folder, "*.csproj");
        return projects.Length switch
        {
            1 => projects[0],
            0 => throw new CandyStartupException($"{folder} has no .csproj: a site is a folder with a C# project that references CandyPack.Framework."),
            _ => throw new CandyStartupException($"{folder} has {projects.Length} .csproj files ({string.Join(", ", projects.Select(Path.GetFileName))}); a site has one."),
        };
    }

    private static async Task CopyAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }
}
