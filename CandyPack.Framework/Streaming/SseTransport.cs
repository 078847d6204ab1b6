using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CandyPack.Streaming;

/// <summary>The Server-Sent Events transport: response headers, then frames from <see cref="SseFormatter"/> straight into the response pipe.</summary>
internal sealed class SseTransport(HttpContext context, JsonSerializerOptions json, int sendBuffer) : IStreamTransport
{
    private readonly PipeWriter _writer = context.Response.BodyWriter;
    private long _unflushed;

    public int MaxUnreadBytes => 0;

    public long UnflushedBytes => _writer.CanGetUnflushedBytes ? _writer.UnflushedBytes : _unflushed;

    public ValueTask OpenAsync(int? retryMilliseconds)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        if (HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            // Connection is a hop-by-hop header that HTTP/2 and HTTP/3 forbid.
            response.Headers.Connection = "keep-alive";

            StreamSocket.BoundSendBuffer(context, sendBuffer);
        }

        // Nothing may hold an event back. Response compression (stream.compression) is flushed with every batch the
        // writer flushes; told to disable buffering, it would flush after every write instead and compress far less.
        if (context.Features.Get<IHttpsCompressionFeature>() is null)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }

        if (retryMilliseconds is { } retry)
        {
            SseFormatter.WriteRetry(_writer, retry);
            _unflushed++;
        }

        return ValueTask.CompletedTask;
    }

    public void Write(in StreamMessage message)
    {
        switch (message.Kind)
        {
            case StreamMessageKind.Heartbeat:
                _writer.Write(SseFormatter.Heartbeat);
                break;
            case StreamMessageKind.Shared:
                _writer.Write(message.Shared!.FrameFor(SharedMessage.SseTransport, FrameShared));
                break;
            case StreamMessageKind.Json:
                SseFormatter.WriteJson(_writer, message.Json, message.Event, message.Id);
                break;
            default:
                SseFormatter.WriteMessage(_writer, message.Data, message.Event, message.Id, json);
                break;
        }

        _unflushed++;
    }

    private static readonly Func<SharedMessage, byte[]> FrameShared = SseFormatter.Frame;

    public byte[] Serialize(object? data) => SseFormatter.Serialize(data, json);

    public void WriteEnd()
    {
        _writer.Write(SseFormatter.End);
        _unflushed++;
    }

    public void WriteRetry(int milliseconds)
    {
        SseFormatter.WriteRetry(_writer, milliseconds);
        _unflushed++;
    }

    public ValueTask<FlushResult> FlushAsync()
    {
        _unflushed = 0;
        return _writer.FlushAsync();
    }

    /// <summary>Nothing to do: the response ends when the request's endpoint returns.</summary>
    public ValueTask CloseAsync(StreamEnding ending) => ValueTask.CompletedTask;
}
