namespace CandyPack;

/// <summary>Limits for regular requests (<c>"request"</c> in config.json).</summary>
public sealed class RequestOptions
{
    /// <summary>
    /// Seconds a controller may take before the client gets 408 Request Timeout and <see cref="Candy.Aborted"/>
    /// is cancelled. Streams are exempt once opened. Default 30; 0 turns the timeout off.
    /// </summary>
    public double Timeout { get; set; } = 30;

    /// <summary>The largest request body accepted, in bytes; larger ones get 413. Default 30,000,000 (as Kestrel's).</summary>
    public long MaxBodySize { get; set; } = 30_000_000;
}
