using System.Diagnostics;
using System.Text;

namespace CandyPack.Tests.Support;

/// <summary>Runs a command to completion (dotnet pack, dotnet new, a built tool) and returns its exit code and output.</summary>
internal static class CommandLine
{
    /// <exception cref="TimeoutException">The command was still running at the deadline; it is killed, and the message carries its output.</exception>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan deadline, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {deadline}:{Environment.NewLine}{Text(output)}");
        }

        // The parameterless wait also waits for the redirected output to be read to its end.
        process.WaitForExit();
        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
