using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>The writer's part in the stream's life: its completion, the periodic heartbeat and deadline look, and the end of the stream.</summary>
internal sealed partial class StreamConnectionWriter
{
    /// <summary>Whether the stream's count in Redis (<c>stream.maxPerUser</c>) has been awaited; only the owner reads or writes it.</summary>
    private bool _admitted;

    /// <summary>Completes when the queue is drained (or the connection cut) and the close handlers have run.</summary>
    public Task Completion
    {
        get
        {
            if (!Volatile.Read(ref _started) || Volatile.Read(ref _owner) == Finished)
            {
                return Task.CompletedTask;
            }

            var done = Volatile.Read(ref _done) ??
                Interlocked.CompareExchange(ref _done, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null) ??
                _done!;
            if (Volatile.Read(ref _owner) == Finished)
            {
                // Finished between the two looks: it may not have seen the source.
                done.TrySetResult();
            }

            return done.Task;
        }
    }

    /// <summary>
    /// The registry's periodic look: cuts a client whose write has made no progress for <paramref name="stallAfter"/> ms,
    /// and sends a heartbeat when neither a message nor a heartbeat went out for <paramref name="idleAfter"/> ms (a
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
            TryPush(StreamMessage.Heartbeat);
        }
    }

    /// <summary>
    /// Waits, as the owner, for the stream's count in Redis (<c>stream.maxPerUser</c>) before anything of the response is
    /// written: counted, the stream opens; refused, the response is a 429 with <c>Retry-After</c> and the stream
    /// finishes unwritten. No thread waits meanwhile. Every outcome is observed here.
    /// </summary>
    private async Task OpenWhenAdmittedAsync(Task<string?> admission)
    {
        string? refusal;
        try
        {
            refusal = await admission;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stream {Route}: counting it for stream.maxPerUser failed; the connection was cut", stream.Route);
            stream.Cut("counting it for stream.maxPerUser failed", abort: true);
            FinishAsOwner(inline: false);
            return;
        }

        _admitted = true;
        if (refusal is null)
        {
            Run(inline: false, written: 0);
            return;
        }

        if (stream.Refuse())
        {
            try
            {
                await WriteRefusalAsync(refusal);
            }
            catch (Exception e) when (IsConnectionGone(e))
            {
                logger.LogDebug("Stream {Route}: the connection closed before its refusal was written", stream.Route);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Stream {Route}: writing its refusal (stream.maxPerUser) failed; the connection was cut", stream.Route);
                context.Abort();
            }
        }

        FinishAsOwner(inline: false);
    }

    /// <summary>The 429 of a refused stream, as the site answers a refusal thrown by a handler.</summary>
    private Task WriteRefusalAsync(string refusal)
    {
        logger.LogInformation("{Method} {Path} rejected with 429: {Reason}", context.Request.Method, context.Request.Path, refusal);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Identity.UserStreamLimit.RetryAfterSeconds;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(refusal);
    }

    /// <summary>
    /// Awaited by the request's endpoint once its handler has returned: completes when the stream has finished and
    /// the closing messages that follow the drained queue are written (the failure, a reconnection hint, and <c>end</c>
    /// when the stream ended on purpose). Whichever arrives second, this call or the writer finishing, writes them; an
    /// idle stream waits here with no task or suspended method of its own.
    /// </summary>
    public ValueTask FinishResponseAsync()
    {
        if (!Volatile.Read(ref _started))
        {
            // Never started (opening it failed): there is no event stream to end.
            return default;
        }

        if (Interlocked.CompareExchange(ref _rendezvous, EndpointArrived, NeitherArrived) == WriterArrived)
        {
            return WriteClosingAsync();
        }

        return new ValueTask(this, _closingWritten.Version);
    }

    void IValueTaskSource.GetResult(short token) => _closingWritten.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _closingWritten.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _closingWritten.OnCompleted(continuation, state, token, flags);

    /// <summary>Called by the owner as it finishes: if the endpoint already waits, the closing messages are written now.</summary>
    private void WriterArrives()
    {
        if (Interlocked.CompareExchange(ref _rendezvous, WriterArrived, NeitherArrived) != EndpointArrived)
        {
            return;
        }

        ValueTask writing;
        try
        {
            writing = WriteClosingAsync();
        }
        catch (Exception e)
        {
            _closingWritten.SetException(e);
            return;
        }

        if (writing.IsCompletedSuccessfully)
        {
            _closingWritten.SetResult(true);
            return;
        }

        _ = SignalWhenWrittenAsync(writing);
    }

    /// <summary>Hands the outcome of a slow closing write to the waiting endpoint; nothing escapes it.</summary>
    private async Task SignalWhenWrittenAsync(ValueTask writing)
    {
        try
        {
            await writing;
            _closingWritten.SetResult(true);
        }
        catch (Exception e)
        {
            _closingWritten.SetException(e);
        }
    }

    /// <summary>
    /// Writes the failure, a reconnection hint and <c>end</c>, then lets the transport close the connection the way the
    /// stream ended (a WebSocket's close status); the stream has finished, so nobody else writes to it any more.
    /// </summary>
    private async ValueTask WriteClosingAsync()
    {
        try
        {
            await WriteClosingMessagesAsync();
        }
        finally
        {
            await transport.CloseAsync(stream.Ending);
        }
    }

    private ValueTask WriteClosingMessagesAsync()
    {
        var ending = stream.Ending;
        if (ending is StreamEnding.Cut or StreamEnding.Refused || context.RequestAborted.IsCancellationRequested)
        {
            return default;
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
                var flush = FlushAsync(written);
                if (!flush.IsCompleted)
                {
                    return AwaitClosingFlushAsync(flush);
                }

                _ = flush.Result;
            }
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            ClosingLost();
        }

        return default;
    }

    private async ValueTask AwaitClosingFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush;
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            ClosingLost();
        }
    }

    private void ClosingLost() => logger.LogDebug("Stream {Route}: the connection closed before the end of the stream was written", stream.Route);
}
