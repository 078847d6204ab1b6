using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The WebSocket transport: accepts the upgrade with ASP.NET Core's WebSocket support, then sends each message as one
/// text frame from <see cref="WebSocketFormatter"/>, and hands what the client sends to the stream's inbox. The frames of a
/// batch reach the connection with one write and one flush (<see cref="WebSocketBatchStream"/>).
/// </summary>
/// <remarks>
/// Pings come from the socket's own keep-alive (every <c>stream.heartbeat</c> seconds, answered within
/// <c>websocket.pingTimeout</c>): only the socket can put a control frame between its data frames, and its keep-alive is
/// an entry in the runtime's shared timer queue rather than a thread or a timer of its own.
/// </remarks>
internal sealed class WebSocketTransport(HttpContext context, JsonSerializerOptions json, WebSocketOptions options, StreamOptions streams, ILogger logger)
    : IStreamTransport
{
    /// <summary>How long a closing socket waits for the client's close frame before it is cut.</summary>
    private static readonly TimeSpan CloseHandshake = TimeSpan.FromSeconds(5);

    private readonly ArrayBufferWriter<byte> _pending = new(1024);
    private readonly List<int> _frameEnds = [];
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private Utf8JsonWriter? _json;
    private WebSocket? _socket;
    private WebSocketBatchStream? _connection;
    private Task _receiving = Task.CompletedTask;
    private CandyStream? _stream;

    public int MaxUnreadBytes => options.MaxUnreadBytes;

    public long UnflushedBytes => _pending.WrittenCount;

    /// <summary>Whether this request is a WebSocket upgrade the site takes.</summary>
    public static bool IsRequested(HttpContext context, WebSocketOptions options) =>
        options.Enabled && WebSocketBatching.IsWebSocketRequest(context);

    /// <summary>The stream whose inbox receives the client's messages and which the socket's end cuts.</summary>
    public void Attach(CandyStream stream) => _stream = stream;

    public async ValueTask OpenAsync(int? retryMilliseconds)
    {
        var stream = _stream ?? throw new InvalidOperationException("The WebSocket transport was opened before its stream was attached.");
        if (HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            StreamSocket.BoundSendBuffer(context, streams.SendBuffer);
        }

        _socket = await context.Features.Get<IHttpWebSocketFeature>()!.AcceptAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = options.Compression,
            KeepAliveInterval = streams.Heartbeat > 0 ? TimeSpan.FromSeconds(streams.Heartbeat) : TimeSpan.Zero,
            KeepAliveTimeout = options.PingTimeout > 0 ? TimeSpan.FromSeconds(options.PingTimeout) : Timeout.InfiniteTimeSpan,
        });
        _connection = WebSocketBatching.ConnectionOf(context);
        _receiving = WebSocketReceiver.RunAsync(_socket, stream, context, options.MaxMessageSize, logger);
        if (retryMilliseconds is { } retry)
        {
            WebSocketFormatter.WriteRetry(Json(), _pending, retry);
            _frameEnds.Add(_pending.WrittenCount);
        }
    }

    public void Write(in StreamMessage message)
    {
        switch (message.Kind)
        {
            case StreamMessageKind.Heartbeat:
                // The socket's keep-alive pings; a text frame would reach the application as a message.
                return;
            case StreamMessageKind.Shared:
                Append(message.Shared!.FrameFor(SharedMessage.WebSocketTransport, FrameShared));
                return;
            case StreamMessageKind.Json:
                WebSocketFormatter.WriteJson(Json(), _pending, message.Json, message.Event, message.Id);
                _frameEnds.Add(_pending.WrittenCount);
                return;
            default:
                // Into a scratch buffer first, so a value that fails to serialise leaves no half frame behind.
                _scratch.ResetWrittenCount();
                WebSocketFormatter.WriteMessage(Json(), _scratch, message.Data, message.Event, message.Id, json);
                Append(_scratch.WrittenSpan);
                return;
        }
    }

    private static readonly Func<SharedMessage, byte[]> FrameShared = WebSocketFormatter.Frame;

    public byte[] Serialize(object? data) => WebSocketFormatter.Serialize(data, json, Encoder);

    public void WriteEnd() => Append(WebSocketFormatter.End);

    public void WriteRetry(int milliseconds)
    {
        WebSocketFormatter.WriteRetry(Json(), _pending, milliseconds);
        _frameEnds.Add(_pending.WrittenCount);
    }

    public async ValueTask<FlushResult> FlushAsync()
    {
        var socket = _socket!;
        var start = 0;
        var batched = _connection is not null && _frameEnds.Count > 1;
        if (batched)
        {
            // Room for each frame's header (at most 14 bytes) beside the payloads; the last frame writes them all.
            _connection!.Gather(_pending.WrittenCount + (_frameEnds.Count * 14), _frameEnds.Count);
        }

        try
        {
            foreach (var end in _frameEnds)
            {
                if (socket.State != WebSocketState.Open)
                {
                    return new FlushResult(isCanceled: false, isCompleted: true);
                }

                // Gathered, every frame but the last completes at once; the last writes and flushes the batch.
                await socket.SendAsync(_pending.WrittenMemory[start..end], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                start = end;
            }

            return default;
        }
        finally
        {
            if (batched)
            {
                // Nothing left after a whole batch; what a failed or cut-short one gathered is dropped.
                _connection!.DropGathered();
            }

            _frameEnds.Clear();
            _pending.ResetWrittenCount();
        }
    }

    public async ValueTask CloseAsync(StreamEnding ending)
    {
        if (_socket is not { } socket)
        {
            return;
        }

        try
        {
            WebSocketCloseStatus? status = ending switch
            {
                StreamEnding.End => WebSocketCloseStatus.NormalClosure,
                StreamEnding.Reconnect => WebSocketCloseStatus.EndpointUnavailable,

                // Cut: answer a client that closed first; say nothing to one that is gone or was cut off.
                _ => socket.State == WebSocketState.CloseReceived ? WebSocketCloseStatus.NormalClosure : null,
            };
            if (status is { } code && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(code, code == WebSocketCloseStatus.EndpointUnavailable ? "going away" : null, CancellationToken.None).WaitAsync(CloseHandshake);
            }
            else if (socket.State == WebSocketState.Open)
            {
                socket.Abort();
            }

            // The client's close frame ends the receiver; one that never answers is cut.
            await _receiving.WaitAsync(CloseHandshake);
        }
        catch (Exception e) when (e is WebSocketException or IOException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            logger.LogDebug(e, "Stream {Route}: the WebSocket did not close cleanly; it was cut", _stream?.Route);
        }
        finally
        {
            socket.Abort();

            // Never faults: the receiver handles every outcome itself.
            await _receiving;
            socket.Dispose();
        }
    }

    /// <summary>
    /// The frame writer. A frame is read by a WebSocket client and never embedded in HTML, so unless the site chose an
    /// encoder, only what JSON requires is escaped, as in <see cref="WebSocketFormatter.Frame"/>.
    /// </summary>
    private Utf8JsonWriter Json() => _json ??= new Utf8JsonWriter(_pending, new JsonWriterOptions
    {
        Encoder = Encoder,
        Indented = json.WriteIndented,
    });

    private System.Text.Encodings.Web.JavaScriptEncoder Encoder => json.Encoder ?? System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private void Append(ReadOnlySpan<byte> frame)
    {
        _pending.Write(frame);
        _frameEnds.Add(_pending.WrittenCount);
    }
}
