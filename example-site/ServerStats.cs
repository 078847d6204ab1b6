using System.Diagnostics;
using CandyPack;

namespace ExampleSite;

/// <summary>
/// A background publisher: once started, it publishes this server's stats to the "stats" channel every second,
/// whoever is listening. It takes the channels through dependency injection, as any background service would.
/// </summary>
public sealed class ServerStats(ICandyChannels channels) : IDisposable
{
    public const string Channel = "stats";

    private readonly Lock _gate = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private Timer? _timer;
    private TimeSpan _lastCpu;
    private long _lastTick;

    /// <summary>Starts publishing, once.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _timer ??= new Timer(_ => Publish(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
        }
    }

    private void Publish()
    {
        using var process = Process.GetCurrentProcess();
        var now = Stopwatch.GetTimestamp();
        var cpu = process.TotalProcessorTime;
        var elapsed = _lastTick == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_lastTick, now);
        var cpuPercent = elapsed > TimeSpan.Zero ? (cpu - _lastCpu) / elapsed / Environment.ProcessorCount * 100 : 0;
        _lastCpu = cpu;
        _lastTick = now;
        var channel = channels.Channel(Channel);
        _ = channel.Publish(new
        {
            time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            uptimeSeconds = (int)(DateTimeOffset.UtcNow - _started).TotalSeconds,
            cpuPercent = Math.Round(cpuPercent, 1),
            workingSetMb = Math.Round(process.WorkingSet64 / 1048576.0, 1),
            gcHeapMb = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
            threads = process.Threads.Count,
            listeners = channel.LocalSubscribers,
            process = Environment.ProcessId,
        });
    }
}
