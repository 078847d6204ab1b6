using System.IO.Pipelines;

namespace CandyPack.Streaming;

/// <summary>
/// Frames stream messages for one wire protocol and writes them to one connection. The engine knows messages;
/// only a transport knows bytes. Calls come from one writer loop at a time.
/// </summary>
internal interface IStreamTransport
{
    /// <summary>
    /// Bytes of client messages a stream on this transport may hold unread (<c>websocket.maxUnreadBytes</c>); 0 when the
    /// client cannot send messages to the server on this transport.
    /// </summary>
    int MaxUnreadBytes { get; }

    /// <summary>Bytes written since the last flush.</summary>
    long UnflushedBytes { get; }

    /// <summary>
    /// Starts the response (headers, or the WebSocket handshake); <paramref name="retryMilliseconds"/> is the client's
    /// reconnection hint.
    /// </summary>
    ValueTask OpenAsync(int? retryMilliseconds);

    void Write(in StreamMessage message);

    /// <summary>
    /// The UTF-8 JSON that <see cref="Write"/> would write as the data of a message carrying <paramref name="data"/>, for a
    /// message that waits in the queue as <see cref="StreamMessageKind.Json"/>. Safe on any thread, beside the writer.
    /// </summary>
    /// <exception cref="NotSupportedException">The data cannot be serialised.</exception>
    byte[] Serialize(object? data);

    /// <summary>Tells the client the stream ended on purpose, so it should not reconnect.</summary>
    void WriteEnd();

    /// <summary>Tells the client how long to wait before it reconnects, when the server lets go of a stream it should resume.</summary>
    void WriteRetry(int milliseconds);

    ValueTask<FlushResult> FlushAsync();

    /// <summary>Ends the connection the way <paramref name="ending"/> says, after the last flush; never throws.</summary>
    ValueTask CloseAsync(StreamEnding ending);
}
