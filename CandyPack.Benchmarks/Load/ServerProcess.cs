using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// A server under test, started as a child process of this executable (<c>serve candy|presence|baseline|signalr</c>), so the CPU time
/// and memory read from /proc are the server's alone. Commands go to its stdin; answers come back on its stdout.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _commands = new(1, 1);

    private ServerProcess(string side, Process process, int port, int h2cPort)
    {
        Side = side;
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        H2cEndPoint = new IPEndPoint(IPAddress.Loopback, h2cPort);
    }

    public string Side { get; }

    /// <summary>The HTTP/1.1 endpoint.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The cleartext HTTP/2 endpoint (prior knowledge), for the multiplexed idle streams.</summary>
    public IPEndPoint H2cEndPoint { get; }

    public int Pid => _process.Id;

    public TimeSpan CpuTime => ProcStats.CpuTime(Pid);

    public long ResidentBytes => ProcStats.ResidentBytes(Pid);

    /// <param name="side"><c>candy</c> or <c>baseline</c>.</param>
    /// <param name="redis">For the CandyPack side: a Redis server its site's channels go through (<c>CANDY_REDIS</c>).</param>
    public static async Task<ServerProcess> StartAsync(string side, string? redis = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown."),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            // Started as `dotnet CandyPack.Benchmarks.dll`: the child needs the assembly path too.
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(side);
        // Both sides run the workstation GC alike, whatever the calling environment says.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (redis is not null)
        {
            start.Environment["CANDY_REDIS"] = redis;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {side} server.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{side} server] {e.Data}");
            }
        };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var answer = await ReadAnswerAsync(process, timeout.Token);
            var ports = answer.StartsWith("@port ", StringComparison.Ordinal)
                ? answer["@port ".Length..].Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray()
                : [];
            return ports.Length == 2
                ? new ServerProcess(side, process, ports[0], ports[1])
                : throw new InvalidOperationException($"The {side} server said '{answer}' instead of its two ports (HTTP/1.1, h2c).");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends one control command and returns the text after <c>@ok</c>.</summary>
    public async Task<string> CommandAsync(string command, TimeSpan? timeout = null)
    {
        await _commands.WaitAsync();
        try
        {
            using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync(cancel.Token);
            var answer = await ReadAnswerAsync(_process, cancel.Token);
            return answer.StartsWith("@ok", StringComparison.Ordinal)
                ? answer["@ok".Length..].Trim()
                : throw new InvalidOperationException($"The {Side} server answered '{command}' with '{answer}'.");
        }
        finally
        {
            _commands.Release();
        }
    }

    /// <summary>Collects garbage in the server, then reads its resident memory and the size of its managed heap.</summary>
    public async Task<MemoryReading> SettleAsync()
    {
        var heap = long.Parse(await CommandAsync("gc"), CultureInfo.InvariantCulture);
        // Give the kernel a moment to account pages the collector has just released.
        await Task.Delay(500);
        return new MemoryReading(ResidentBytes, heap);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            Console.Error.WriteLine($"The {Side} server did not stop when asked; killing it.");
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            _commands.Dispose();
        }
    }

    private static async Task<string> ReadAnswerAsync(Process process, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith('@'))
            {
                return line;
            }

            Console.Error.WriteLine(line);
        }

        throw new InvalidOperationException($"The server process exited (code {(process.HasExited ? process.ExitCode : -1)}) before answering.");
    }
}
