using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>The writer's part in the stream's life: its completion, the periodic heartbeat and deadline look, and the end of the stream.</summary>
internal sealed partial class StreamConnectionWriter
{
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

    /// <summary>Writes what follows the drained queue: the failure, a reconnection hint, and <c>end</c> when the stream ended on purpose.</summary>
    public async Task EndAsync()
    {
        if (!Volatile.Read(ref _started))
        {
            // Never started (opening it failed): there is no event stream to end.
            return;
        }

        await Completion;
        var ending = stream.Ending;
        if (ending == StreamEnding.Cut || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        // Finished: nobody else writes to this connection any more.
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
}
