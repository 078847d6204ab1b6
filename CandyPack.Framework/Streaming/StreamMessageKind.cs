namespace CandyPack.Streaming;

/// <summary>What a <see cref="StreamMessage"/> carries.</summary>
internal enum StreamMessageKind
{
    /// <summary>Application data, framed by the transport.</summary>
    Data,

    /// <summary>A keep-alive with no application meaning.</summary>
    Heartbeat,

    /// <summary>A <see cref="SharedMessage"/>: serialised once, framed once per transport, shared between connections.</summary>
    Shared,
}
