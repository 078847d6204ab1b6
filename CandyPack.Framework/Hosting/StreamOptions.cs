namespace CandyPack;

/// <summary>Streaming settings (<c>"stream"</c> in config.json).</summary>
public sealed class StreamOptions
{
    /// <summary>Seconds between heartbeat comments on an open stream. Default 30; 0 turns heartbeats off.</summary>
    public double Heartbeat { get; set; } = 30;

    /// <summary>Messages a connection may have waiting to be written before it counts as a slow consumer. Default 1024.</summary>
    public int Queue { get; set; } = 1024;

    /// <summary>
    /// Bytes a connection may have waiting to be written before it counts as a slow consumer, whichever of this and
    /// <see cref="Queue"/> comes first. Counted are a channel message's payload, a string's or byte array's length, and
    /// any other pushed object's JSON, serialised once when it is queued (a pulled source is paced by <see cref="Queue"/>).
    /// One message always fits, however large. Default
    /// 8,388,608 (8 MiB).
    /// </summary>
    public int QueueBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>What happens to a slow consumer whose queue is full. Default <see cref="SlowConsumerPolicy.Disconnect"/>.</summary>
    public SlowConsumerPolicy SlowConsumer { get; set; } = SlowConsumerPolicy.Disconnect;

    /// <summary>The reconnection delay, in milliseconds, sent to clients as <c>retry:</c> when a stream opens. Default: none sent.</summary>
    public int? Retry { get; set; }

    /// <summary>
    /// Seconds a write to a client may make no progress before the connection is cut (a stalled client). Default 5;
    /// 0 turns the deadline off. With the stream's send buffer bounded to <see cref="SendBuffer"/>, a stalled client
    /// costs at most that buffer, the server's response buffer and <see cref="Queue"/> messages, for this long.
    /// </summary>
    public double WriteTimeout { get; set; } = 5;

    /// <summary>The socket send buffer of an HTTP/1.1 stream's connection, in bytes. Default 65,536; 0 leaves the system's.</summary>
    public int SendBuffer { get; set; } = 64 * 1024;

    /// <summary>
    /// Compresses event streams with Brotli or gzip when the client's <c>Accept-Encoding</c> allows it. Every batch of
    /// events the stream flushes is flushed through the compressor, so compression holds nothing back. Default false.
    /// </summary>
    public bool Compression { get; set; }

    /// <summary>The most streams open at once on this site; further ones get 503 with <c>Retry-After</c>. Default 0 (no limit).</summary>
    public int MaxStreams { get; set; }

    /// <summary>
    /// The most streams one authenticated user (<see cref="Candy.User"/>) may have open on this site, across every host
    /// instance when Redis is configured. Anonymous streams do not count. Default 0 (no limit).
    /// </summary>
    public int MaxPerUser { get; set; }

    /// <summary>What a stream beyond <see cref="MaxPerUser"/> gets. Default <see cref="CandyPack.MaxPerUserPolicy.Reject"/> (429).</summary>
    public MaxPerUserPolicy MaxPerUserPolicy { get; set; } = MaxPerUserPolicy.Reject;
}
