using System.Net;
using System.Net.Sockets;

namespace CandyPack.Tests.Support;

/// <summary>
/// A running CandyPack.Host serving an already built site (<c>--no-build</c>), so tests can run several instances
/// side by side and kill one for real.
/// </summary>
internal sealed class HostInstance : IAsyncDisposable
{
    private readonly HostProcess _process;

    private HostInstance(HostProcess process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

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
        var process = HostProcess.StartDll(
            Path.Combine(AppContext.BaseDirectory, "CandyPack.Host.dll"),
            environment,
            site,
            "--no-build",
            "--port",
            port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var address = await process.WaitForAddressAsync(TimeSpan.FromSeconds(60));
        if (address is null)
        {
            var output = process.Output;
            await process.DisposeAsync();
            throw new InvalidOperationException($"CandyPack.Host did not start serving {site}. Its output:{Environment.NewLine}{output}");
        }

        return new HostInstance(process, address);
    }

    /// <summary>Every line the host has written so far.</summary>
    public IReadOnlyList<string> Lines => _process.Output.Split('\n');

    /// <summary>How many lines of output contain <paramref name="text"/>.</summary>
    public int CountLines(string text) =>
        _process.Output.Split('\n').Count(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));

    /// <summary>Kills the process (SIGKILL), as a crash would, and waits until it is gone.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Asks the host to stop (SIGTERM), as a container runtime would, and waits for its exit code.</summary>
    public Task<int> StopAsync(TimeSpan deadline)
    {
        _process.Signal("TERM");
        return _process.WaitForExitAsync(deadline);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }

    public override string ToString() => $"host at {Address}:{Environment.NewLine}{_process.Output}";
}
