namespace CandyPack.Streaming;

/// <summary>What a <see cref="StreamMessage"/> carries.</summary>
internal enum StreamMessageKind
{
    /// <summary>Application data, framed by the transport.</summary>
    Data,

    /// <summary>A keep-alive with no application meaning.</summary>
    Heartbeat,

    /// <summary>Bytes framed once by the transport's formatter and shared between connections.</summary>
    Framed,
}
