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

    /// <summary>
    /// Application data serialised to UTF-8 JSON when it was queued, so the queue counts its bytes; framed by the
    /// transport like <see cref="Data"/>.
    /// </summary>
    Json,
}
