namespace CandyPack.Streaming;

/// <summary>How a closing stream leaves its client.</summary>
internal enum StreamEnding
{
    /// <summary>The application closed it: the rest is written, then <c>end</c>, and the client does not reconnect.</summary>
    End,

    /// <summary>The server let go (shutdown, a transient failure, a replay that overflowed): the rest is written without <c>end</c>, so the client resumes.</summary>
    Reconnect,

    /// <summary>The connection is cut (the client left, or fell too far behind): nothing more is written.</summary>
    Cut,

    /// <summary><c>stream.maxPerUser</c> refused it before it started: the response is a 429 and nothing of the stream is written.</summary>
    Refused,
}
