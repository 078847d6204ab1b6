using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// A site's open streams: enforces <c>stream.maxStreams</c>, drives every heartbeat and write deadline from one shared
/// timer, and closes them all when the host shuts down.
/// </summary>
/// <remarks>
/// Streams are spread over <see cref="Buckets"/> sets; the timer ticks once per bucket, <see cref="Buckets"/> times an
/// interval, so each stream is looked at once an interval and no tick wakes every stream at the same instant.
/// </remarks>
internal sealed class StreamRegistry : IDisposable
{
    private const int Buckets = 8;

    private readonly ConcurrentDictionary<CandyStream, byte>[] _open = new ConcurrentDictionary<CandyStream, byte>[Buckets];
    private readonly ILogger _logger;
    private readonly Timer? _heartbeat;
    private readonly long _idleAfter;
    private readonly long _stallAfter;
    private int _count;
    private int _next;
    private int _tick;
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

        if (options.QueueBytes < 1)
        {
            throw new CandyStartupException($"stream.queueBytes must be at least 1 (it is {options.QueueBytes}).");
        }

        for (var i = 0; i < Buckets; i++)
        {
            _open[i] = new ConcurrentDictionary<CandyStream, byte>();
        }

        if (options.Heartbeat > 0 || options.WriteTimeout > 0)
        {
            // Each stream is looked at once per spacing: often enough for both the heartbeat and the write deadline.
            var heartbeat = options.Heartbeat > 0 ? TimeSpan.FromSeconds(options.Heartbeat) : TimeSpan.MaxValue;
            var stall = options.WriteTimeout > 0 ? TimeSpan.FromSeconds(options.WriteTimeout) : TimeSpan.MaxValue;
            var spacing = heartbeat < stall ? heartbeat : stall;

            // Idle for an interval less half a spacing: a look then finds the stream idle exactly one interval after its
            // last message or heartbeat, so heartbeats come one interval apart.
            _idleAfter = options.Heartbeat > 0 ? (long)(heartbeat - (spacing / 2)).TotalMilliseconds : 0;
            _stallAfter = options.WriteTimeout > 0 ? (long)stall.TotalMilliseconds : 0;
            _heartbeat = new Timer(static s => ((StreamRegistry)s!).Tick(), this, spacing / Buckets, spacing / Buckets);
        }
    }

    public StreamOptions Options { get; }

    /// <summary>Warnings about clients refused on this site's streams: one a minute, with a count of the rest.</summary>
    public Hosting.LogThrottle RefusalWarnings { get; } = new(TimeSpan.FromMinutes(1));

    public int Count => Volatile.Read(ref _count);

    /// <summary>True once <see cref="ShutdownAll"/> has let go of every stream: no stream opens any more.</summary>
    public bool IsShuttingDown => Volatile.Read(ref _shuttingDown);

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

        stream.Bucket = (int)((uint)Interlocked.Increment(ref _next) % Buckets);
        _open[stream.Bucket][stream] = 0;
        Hosting.CandyMetrics.OpenStreams.Add(1);
        return true;
    }

    public void Remove(CandyStream stream)
    {
        if (_open[stream.Bucket].TryRemove(stream, out _))
        {
            Interlocked.Decrement(ref _count);
            Hosting.CandyMetrics.OpenStreams.Add(-1);
        }
    }

    /// <summary>A stream's queue is full: counts and logs the slow consumer; true when the policy drops the message, false when it disconnects.</summary>
    public bool DropsOnSlowConsumer(RouteInfo route, System.Net.IPAddress? client)
    {
        Interlocked.Increment(ref _slowConsumers);
        Hosting.CandyMetrics.SlowConsumers.Add(1);
        if (Options.SlowConsumer == SlowConsumerPolicy.DropNewest)
        {
            _logger.LogDebug("Stream {Route}: queue of {Capacity} messages or {Bytes} bytes full, message dropped", route, Options.Queue, Options.QueueBytes);
            return true;
        }

        _logger.LogWarning(
            "Stream {Route} to {Client}: the client fell {Capacity} messages behind and was disconnected (slow consumer; stream.queue in config.json, or {Bytes} bytes: stream.queueBytes)",
            route,
            client,
            Options.Queue,
            Options.QueueBytes);
        return false;
    }

    /// <summary>
    /// Lets go of every open stream in one pass (each ends without <c>end</c>, so clients resume on the next instance,
    /// and their close handlers run), logging one summary line rather than one per stream.
    /// </summary>
    public void ShutdownAll()
    {
        Volatile.Write(ref _shuttingDown, true);
        var closed = 0;
        foreach (var bucket in _open)
        {
            foreach (var pair in bucket)
            {
                pair.Key.AskToReconnect();
                closed++;
            }
        }

        if (closed > 0)
        {
            _logger.LogInformation("Closing {Count} open streams for shutdown; their clients reconnect", closed);
        }
    }

    public void Dispose() => _heartbeat?.Dispose();

    private void Tick()
    {
        var bucket = _open[(uint)Interlocked.Increment(ref _tick) % Buckets];
        var now = Environment.TickCount64;

        // Enumerating a ConcurrentDictionary takes no snapshot and no lock.
        foreach (var pair in bucket)
        {
            pair.Key.Check(now, _idleAfter, _stallAfter);
        }
    }
}
