using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// Reads a stream's WebSocket for as long as it is open: each text message goes to the stream's inbox; the client's
/// close, a dropped connection or an unanswered ping cuts the stream; a message over <c>websocket.maxMessageSize</c>
/// closes the socket with 1009, and more than <c>websocket.maxUnreadBytes</c> sent to a stream that does not listen
/// closes it with 1008. The buffer a large message grew is let go once it is delivered.
/// </summary>
internal static class WebSocketReceiver
{
    private const int ChunkSize = 4096;

    /// <summary>A message buffer that grew past this for one large message is replaced by a small one after it.</summary>
    private const int KeptBufferSize = 4 * ChunkSize;

    /// <summary>Never faults: every outcome is handled here, so the transport can always await it.</summary>
    public static async Task RunAsync(WebSocket socket, CandyStream stream, HttpContext context, int maxMessageSize, ILogger logger)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var message = new ArrayBufferWriter<byte>(ChunkSize);
        var refusing = false;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(chunk.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    stream.Cut("the client closed the WebSocket", abort: false);
                    return;
                }

                if (refusing)
                {
                    // A close was sent: what still arrives before the client's close frame is dropped.
                    continue;
                }

                if (message.WrittenCount + result.Count > maxMessageSize || result.MessageType == WebSocketMessageType.Binary)
                {
                    refusing = true;
                    var (status, reason) = result.MessageType == WebSocketMessageType.Binary
                        ? (WebSocketCloseStatus.InvalidMessageType, "Only text messages are accepted.")
                        : (WebSocketCloseStatus.MessageTooBig, $"A message may be at most {maxMessageSize} bytes (websocket.maxMessageSize).");
                    await RefuseAsync(socket, stream, context, status, reason, logger);
                    continue;
                }

                message.Write(chunk.AsSpan(0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.WrittenCount;
                var refused = stream.Inbox!.Refuses(bytes);
                if (!refused)
                {
                    // The socket has checked that a text message is valid UTF-8 (or closed it with 1007).
                    refused = !await stream.Inbox.DeliverAsync(Encoding.UTF8.GetString(message.WrittenSpan), bytes, stream.CancellationToken);
                }

                message = message.Capacity > KeptBufferSize ? new ArrayBufferWriter<byte>(ChunkSize) : message;
                message.ResetWrittenCount();
                if (refused)
                {
                    refusing = true;
                    await RefuseAsync(
                        socket,
                        stream,
                        context,
                        WebSocketCloseStatus.PolicyViolation,
                        $"This stream does not read messages; it holds at most {stream.Inbox.MaxUnreadBytes} bytes of them (websocket.maxUnreadBytes).",
                        logger);
                }
            }
        }
        catch (OperationCanceledException) when (stream.CancellationToken.IsCancellationRequested)
        {
            // The stream closed while a reader was behind: nothing is read any more.
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or ConnectionAbortedException or ConnectionResetException)
        {
            stream.Cut("the WebSocket connection closed", abort: false);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stream {Route}: receiving from the WebSocket failed; the stream is closed", stream.Route);
            stream.Cut("receiving failed", abort: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async Task RefuseAsync(WebSocket socket, CandyStream stream, HttpContext context, WebSocketCloseStatus status, string reason, ILogger logger)
    {
        if (stream.Registry.RefusalWarnings.TryTake(out var unlogged))
        {
            logger.LogWarning(
                "Stream {Route} from {Client}: {Reason} The WebSocket was closed with {Status}. ({Unlogged} more refusals since the last one logged.)",
                stream.Route,
                context.Features.Get<IHttpConnectionFeature>()?.RemoteIpAddress,
                reason,
                (int)status,
                unlogged);
        }

        // Closed before the stream is cut, so the stream's end finds the close sent and waits for the client's answer.
        await socket.CloseOutputAsync(status, reason, CancellationToken.None);
        stream.Cut(status switch
        {
            WebSocketCloseStatus.InvalidMessageType => "binary message",
            WebSocketCloseStatus.MessageTooBig => "message too big",
            _ => "unread messages",
        }, abort: false);
    }
}
