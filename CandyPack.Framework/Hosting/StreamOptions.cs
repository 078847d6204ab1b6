namespace CandyPack;

/// <summary>Streaming settings (<c>"stream"</c> in config.json).</summary>
public sealed class StreamOptions
{
    /// <summary>Seconds between heartbeat comments on an open stream. Default 30; 0 turns heartbeats off.</summary>
    public double Heartbeat { get; set; } = 30;

    /// <summary>Messages a connection may have waiting to be written before it counts as a slow consumer. Default 1024.</summary>
    public int Queue { get; set; } = 1024;

    /// <summary>What happens to a slow consumer whose queue is full. Default <see cref="SlowConsumerPolicy.Disconnect"/>.</summary>
    public SlowConsumerPolicy SlowConsumer { get; set; } = SlowConsumerPolicy.Disconnect;

    /// <summary>The reconnection delay, in milliseconds, sent to clients as <c>retry:</c> when a stream opens. Default: none sent.</summary>
    public int? Retry { get; set; }

    /// <summary>The most streams open at once on this site; further ones get 503 with <c>Retry-After</c>. Default 0 (no limit).</summary>
    public int MaxStreams { get; set; }
}
