using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CandyPack.Tests.Support;

/// <summary>
/// CandyPack.Host as a real child process serving an already built site (<c>--no-build</c>), so tests can run
/// several instances side by side and kill one for real.
/// </summary>
internal sealed partial class HostInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private HostInstance(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Every line the host wrote so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>A port nobody listens on now, for an instance that must come back on the same address.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="site">The site folder (built beforehand, as the test project's build does for example-site).</param>
    /// <param name="port">The port, or 0 for any free one.</param>
    /// <param name="environment">Extra variables, such as <c>CANDY_REDIS</c> for the site's <c>redis</c> setting.</param>
    public static async Task<HostInstance> StartAsync(string site, int port, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "CandyPack.Host.dll"), site, "--no-build", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the host exited"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new HostInstance(process, output, address);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw new InvalidOperationException(
                $"CandyPack.Host did not start serving {site} ({e.Message}). Its output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}", e);
        }
    }

    /// <summary>How many lines of output contain <paramref name="text"/>.</summary>
    public int CountLines(string text) => _output.Count(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));

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
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    public override string ToString() => $"host at {Address}:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";

    [GeneratedRegex(@"Now listening on: (?<url>http://[^\s]+)")]
    private static partial Regex Listening();
}
