using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The one writer of a stream's connection: drains the queue into the transport, coalescing flushes, until the stream
/// closes; then <see cref="EndAsync"/>, called by the request's endpoint once its handler has returned, writes the
/// failure the stream closed with and the <c>end</c> event.
/// </summary>
internal sealed class StreamConnectionWriter(CandyStream stream, IStreamTransport transport, StreamQueue queue, HttpContext context, ILogger logger)
{
    private const int FlushThreshold = 32 * 1024;

    private Task? _completion;
    private long _lastDataWrite = Environment.TickCount64;
    private long _flushPendingSince;
    private long _lastBeat;

    /// <summary>Completes when the queue is drained (or the connection cut) and the close handlers have run.</summary>
    public Task Completion => _completion ?? Task.CompletedTask;

    /// <summary>When the last application message was written (<see cref="Environment.TickCount64"/>); heartbeats do not count.</summary>
    public long LastDataWrite => Volatile.Read(ref _lastDataWrite);

    /// <summary>Since when a flush has waited for the client (<see cref="Environment.TickCount64"/>), or 0 when none is waiting.</summary>
    public long FlushPendingSince => Volatile.Read(ref _flushPendingSince);

    public void Start() => _completion = RunAsync();

    /// <summary>
    /// The registry's periodic look: cuts a client whose write has made no progress for <paramref name="stallAfter"/> ms,
    /// and queues a heartbeat when neither a message nor a heartbeat went out for <paramref name="idleAfter"/> ms (a
    /// heartbeat is not activity, so it never delays the next heartbeat).
    /// </summary>
    public void Check(long now, long idleAfter, long stallAfter)
    {
        if (stallAfter > 0 && FlushPendingSince is var since and > 0 && now - since >= stallAfter)
        {
            logger.LogWarning(
                "Stream {Route} to {Client}: no write progress for {Seconds}s; the connection was cut (stalled client; stream.writeTimeout in config.json)",
                stream.Route,
                context.Connection.RemoteIpAddress,
                stallAfter / 1000.0);
            stream.Cut("stalled client", abort: true);
            return;
        }

        if (idleAfter > 0 && stream.IsOpen && now - Math.Max(LastDataWrite, _lastBeat) >= idleAfter)
        {
            _lastBeat = now;
            queue.TryWrite(StreamMessage.Heartbeat);
        }
    }

    /// <summary>Writes what follows the drained queue: the failure, a reconnection hint, and <c>end</c> when the stream ended on purpose.</summary>
    public async Task EndAsync()
    {
        if (_completion is null)
        {
            // Never started (opening it failed): there is no event stream to end.
            return;
        }

        await _completion;
        try
        {
            await WriteEndingAsync(stream.Ending);
        }
        finally
        {
            await transport.CloseAsync(stream.Ending);
        }
    }

    private async Task WriteEndingAsync(StreamEnding ending)
    {
        if (ending == StreamEnding.Cut || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            var written = 0;
            if (stream.Failure is { } failure)
            {
                transport.Write(StreamMessage.Message(new StreamError(StreamFailure.ClientMessage(failure, context))));
                if (ending == StreamEnding.Reconnect)
                {
                    transport.WriteRetry(stream.Registry.Options.Retry ?? StreamFailure.DefaultRetryMilliseconds);
                }

                written++;
            }

            if (ending == StreamEnding.End)
            {
                transport.WriteEnd();
                written++;
            }

            if (written > 0)
            {
                await FlushAsync(written);
            }
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            logger.LogDebug("Stream {Route}: the connection closed before the end of the stream was written", stream.Route);
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        long written = 0;
        try
        {
            await transport.OpenAsync(stream.Registry.Options.Retry);
            do
            {
                while (stream.Ending != StreamEnding.Cut && queue.Reader.TryRead(out var message))
                {
                    Write(message);
                    written++;
                    if (transport.UnflushedBytes >= FlushThreshold)
                    {
                        if ((await FlushAsync(written)).IsCompleted)
                        {
                            stream.Cut("the connection closed", abort: false);
                            return;
                        }

                        written = 0;
                    }
                }

                if (stream.Ending == StreamEnding.Cut)
                {
                    return;
                }

                if ((await FlushAsync(written)).IsCompleted)
                {
                    stream.Cut("the connection closed", abort: false);
                    return;
                }

                written = 0;
            }
            while (await queue.Reader.WaitToReadAsync());
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            stream.Cut("the connection closed while writing", abort: false);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stream {Route}: writing failed; closing the stream", stream.Route);
            stream.Cut("writing failed", abort: true);
        }
        finally
        {
            stream.Finish();
        }
    }

    private bool IsConnectionGone(Exception e) =>
        e is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException or System.Net.WebSockets.WebSocketException ||
        (e is InvalidOperationException && context.RequestAborted.IsCancellationRequested);

    private ValueTask<FlushResult> FlushAsync(long messages)
    {
        if (messages > 0 && Hosting.CandyMetrics.MessagesSent.Enabled)
        {
            Hosting.CandyMetrics.MessagesSent.Add(messages);
            Hosting.CandyMetrics.BytesSent.Add(transport.UnflushedBytes);
        }

        var flush = transport.FlushAsync();
        return flush.IsCompleted ? flush : AwaitFlushAsync(flush);
    }

    /// <summary>A flush the client holds up: the registry's timer cuts the connection if it waits past <c>stream.writeTimeout</c>.</summary>
    private async ValueTask<FlushResult> AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        Volatile.Write(ref _flushPendingSince, Environment.TickCount64);
        try
        {
            return await flush;
        }
        finally
        {
            Volatile.Write(ref _flushPendingSince, 0);
        }
    }

    private void Write(in StreamMessage message)
    {
        if (message.Kind != StreamMessageKind.Heartbeat)
        {
            Volatile.Write(ref _lastDataWrite, Environment.TickCount64);
        }

        try
        {
            transport.Write(message);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            logger.LogError(e, "Stream {Route}: a message of type {Type} could not be serialised; an error message was sent instead", stream.Route, message.Data?.GetType().FullName);
            transport.Write(StreamMessage.Message(new StreamError($"A message of type {message.Data?.GetType().Name} could not be serialised: {e.Message}")));
        }
    }
}
