using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CandyPack.Tests.Support;

/// <summary>
/// A private redis-server that a test starts, kills with SIGKILL and starts again on the same port and data
/// directory. Append-only: Redis writes each command to the file before it answers, so its streams survive a SIGKILL
/// (which ends the process, not the machine). No fsync: an fsync on every write made a slow disk stall the server
/// past the framework's 1 s command timeout, which looked like an outage to tests that wanted none.
/// </summary>
internal sealed partial class RedisServerProcess : IAsyncDisposable
{
    private readonly string _binary;
    private readonly string _directory;
    private Process? _process;

    private RedisServerProcess(string binary, int port, string directory)
    {
        _binary = binary;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public string Configuration => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public static async Task<RedisServerProcess> StartAsync(string binary)
    {
        var directory = Path.Combine(Path.GetTempPath(), "candy-redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var server = new RedisServerProcess(binary, HostInstance.FreePort(), directory);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--appendonly", "yes", "--appendfsync", "no", "--save", string.Empty, "--daemonize", "no",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_binary}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!await Eventually.TrueAsync(() => !_process.HasExited && Ping(), TimeSpan.FromSeconds(30)))
        {
            Assert.Fail($"redis-server on port {Port} did not answer PING within 30 s (exited: {_process.HasExited}).");
        }
    }

    /// <summary>Kills the server with SIGKILL and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean the temp folder.
        }
    }

    private bool Ping()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
