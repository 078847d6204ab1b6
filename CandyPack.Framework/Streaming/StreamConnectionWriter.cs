using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The one writer of a stream's connection: drains the queue into the transport, coalescing flushes, until the stream
/// closes; then <see cref="EndAsync"/>, called by the request's endpoint once its handler has returned, writes the
/// failure the stream closed with and the <c>end</c> event.
/// </summary>
internal sealed class StreamConnectionWriter(CandyStream stream, IStreamTransport transport, ChannelReader<StreamMessage> queue, HttpContext context, ILogger logger)
{
    private const int FlushThreshold = 32 * 1024;

    private Task _completion = Task.CompletedTask;
    private long _lastDataWrite = Environment.TickCount64;

    /// <summary>Completes when the queue is drained (or the connection cut) and the close handlers have run.</summary>
    public Task Completion => _completion;

    /// <summary>When the last application message was written (<see cref="Environment.TickCount64"/>); heartbeats do not count.</summary>
    public long LastDataWrite => Volatile.Read(ref _lastDataWrite);

    public void Start() => _completion = RunAsync();

    /// <summary>Writes what follows the drained queue: the failure, a reconnection hint, and <c>end</c> when the stream ended on purpose.</summary>
    public async Task EndAsync()
    {
        await _completion;
        var ending = stream.Ending;
        if (ending == StreamEnding.Cut || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            var wrote = false;
            if (stream.Failure is { } failure)
            {
                transport.Write(StreamMessage.Message(new StreamError(StreamFailure.ClientMessage(failure, context))));
                if (ending == StreamEnding.Reconnect)
                {
                    transport.WriteRetry(stream.Registry.Options.Retry ?? StreamFailure.DefaultRetryMilliseconds);
                }

                wrote = true;
            }

            if (ending == StreamEnding.End)
            {
                transport.WriteEnd();
                wrote = true;
            }

            if (wrote)
            {
                await transport.FlushAsync();
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
            transport.Open(stream.Registry.Options.Retry);
            do
            {
                while (stream.Ending != StreamEnding.Cut && queue.TryRead(out var message))
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
            while (await queue.WaitToReadAsync());
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
        e is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException ||
        (e is InvalidOperationException && context.RequestAborted.IsCancellationRequested);

    private ValueTask<FlushResult> FlushAsync(long messages)
    {
        if (messages > 0 && Hosting.CandyMetrics.MessagesSent.Enabled)
        {
            Hosting.CandyMetrics.MessagesSent.Add(messages);
            Hosting.CandyMetrics.BytesSent.Add(transport.UnflushedBytes);
        }

        return transport.FlushAsync();
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
