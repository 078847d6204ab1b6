using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CandyPack.Tests.Support;

/// <summary>The real CandyPack.Host executable, started as a user would start it, with its output captured.</summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static HostProcess Start(params string[] arguments) =>
        StartDll(Path.Combine(AppContext.BaseDirectory, "CandyPack.Host.dll"), arguments);

    public static HostProcess StartDll(string hostDll, params string[] arguments) =>
        StartDll(hostDll, new Dictionary<string, string>(), arguments);

    /// <param name="hostDll">The host to run.</param>
    /// <param name="environment">Extra variables, such as <c>CANDY_REDIS</c> for the site's <c>redis</c> setting.</param>
    /// <param name="arguments">The host's command line.</param>
    public static HostProcess StartDll(string hostDll, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Launch("dotnet", [hostDll, .. arguments], Repository.Root, environment);

    /// <summary>Starts a host installed as an executable, such as the <c>candy</c> tool.</summary>
    public static HostProcess StartExecutable(string executable, params string[] arguments) =>
        Launch(executable, arguments, Repository.Root, new Dictionary<string, string>());

    /// <summary>Starts a command in <paramref name="workingDirectory"/> with <paramref name="environment"/> over the test's own.</summary>
    public static HostProcess StartExecutable(string executable, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Launch(executable, arguments, workingDirectory, environment);

    private static HostProcess Launch(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new HostProcess(Process.Start(start)!);
    }

    /// <summary>Waits until the host logs the address it listens on, or exits.</summary>
    public async Task<Uri?> WaitForAddressAsync(TimeSpan deadline)
    {
        Match? match = null;
        await Eventually.TrueAsync(() => (match = Listening().Match(Output)).Success || HasExited, deadline);
        return match is { Success: true } ? new Uri(match.Groups["url"].Value) : null;
    }

    /// <summary>Sends a POSIX signal, as a container runtime or systemd would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var cancel = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Kills the process (SIGKILL), as a crash would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http\S+)")]
    private static partial Regex Listening();
}
