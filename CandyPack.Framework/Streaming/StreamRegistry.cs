using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// A site's open streams: enforces <c>stream.maxStreams</c>, drives every heartbeat from one shared timer, and
/// closes them all when the host shuts down.
/// </summary>
internal sealed class StreamRegistry : IDisposable
{
    private readonly ConcurrentDictionary<CandyStream, byte> _open = new();
    private readonly ILogger _logger;
    private readonly Timer? _heartbeat;
    private int _count;
    private long _slowConsumers;
    private bool _shuttingDown;

    public StreamRegistry(StreamOptions options, ILogger logger)
    {
        Options = options;
        _logger = logger;
        if (options.Queue < 1)
        {
            throw new CandyStartupException($"stream.queue must be at least 1 (it is {options.Queue}).");
        }

        if (options.Heartbeat > 0)
        {
            var period = TimeSpan.FromSeconds(options.Heartbeat);
            _heartbeat = new Timer(static s => ((StreamRegistry)s!).Tick(), this, period, period);
        }
    }

    public StreamOptions Options { get; }

    public int Count => Volatile.Read(ref _count);

    public long SlowConsumers => Interlocked.Read(ref _slowConsumers);

    public bool TryAdd(CandyStream stream)
    {
        if (Volatile.Read(ref _shuttingDown))
        {
            return false;
        }

        if (Interlocked.Increment(ref _count) > Options.MaxStreams && Options.MaxStreams > 0)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _open[stream] = 0;
        Hosting.CandyMetrics.OpenStreams.Add(1);
        return true;
    }

    public void Remove(CandyStream stream)
    {
        if (_open.TryRemove(stream, out _))
        {
            Interlocked.Decrement(ref _count);
            Hosting.CandyMetrics.OpenStreams.Add(-1);
        }
    }

    public void CountSlowConsumer()
    {
        Interlocked.Increment(ref _slowConsumers);
        Hosting.CandyMetrics.SlowConsumers.Add(1);
    }

    /// <summary>Ends every open stream (their close handlers run) so the server can stop without waiting them out.</summary>
    public void ShutdownAll()
    {
        Volatile.Write(ref _shuttingDown, true);
        var streams = _open.Keys.ToList();
        if (streams.Count > 0)
        {
            _logger.LogInformation("Closing {Count} open streams for shutdown", streams.Count);
        }

        foreach (var stream in streams)
        {
            stream.Shutdown();
        }
    }

    public void Dispose() => _heartbeat?.Dispose();

    private void Tick()
    {
        foreach (var stream in _open.Keys)
        {
            stream.Heartbeat();
        }
    }
}
