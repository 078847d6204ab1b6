using System.IO.Pipelines;

namespace CandyPack.Streaming;

/// <summary>
/// Frames stream messages for one wire protocol and writes them to one connection. The engine knows messages;
/// only a transport knows bytes. Calls come from one writer loop at a time.
/// </summary>
internal interface IStreamTransport
{
    /// <summary>Sets the response headers; <paramref name="retryMilliseconds"/> is the client's reconnection hint.</summary>
    void Open(int? retryMilliseconds);

    void Write(in StreamMessage message);

    /// <summary>Tells the client the stream ended on purpose, so it should not reconnect.</summary>
    void WriteEnd();

    /// <summary>Tells the client how long to wait before it reconnects, when the server lets go of a stream it should resume.</summary>
    void WriteRetry(int milliseconds);

    /// <summary>Bytes written since the last flush.</summary>
    long UnflushedBytes { get; }

    ValueTask<FlushResult> FlushAsync();
}
