using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The one writer of a stream's connection at any moment. Whoever sends while the connection is idle takes it over
/// (an ownership flag: idle, owned, finished) and writes straight into the transport on its own thread; what arrives
/// while it is owned waits in the queue and the owner writes it too, flushing once for all. A flush the client holds
/// up (backpressure, or a transport whose send is asynchronous) passes ownership to a continuation that awaits it, so
/// no sender ever waits for a client. Once the stream closes and the queue is drained, the owner finishes the stream;
/// then <see cref="FinishResponseAsync"/>, called by the request's endpoint once its handler has returned, writes the failure
/// the stream closed with and the <c>end</c> event.
/// </summary>
internal sealed partial class StreamConnectionWriter(CandyStream stream, IStreamTransport transport, StreamQueue queue, HttpContext context, ILogger logger)
    : IThreadPoolWorkItem, IValueTaskSource
{
    private const int FlushThreshold = 32 * 1024;

    private const int Idle = 0;
    private const int Owned = 1;
    private const int Finished = 2;

    private const int NeitherArrived = 0;
    private const int EndpointArrived = 1;
    private const int WriterArrived = 2;

    /// <summary>Who may write: nobody (idle), one thread or continuation (owned), nobody ever again (finished). Owned until opened.</summary>
    private int _owner = Owned;
    private bool _started;
    private bool _opened;
    private TaskCompletionSource? _done;
    /// <summary>
    /// Where the endpoint (<see cref="FinishResponseAsync"/>) and the writer finishing meet: whichever arrives second
    /// writes the closing messages; the endpoint waits on <see cref="_closingWritten"/> if it came first.
    /// </summary>
    private int _rendezvous;
    private ManualResetValueTaskSourceCore<bool> _closingWritten = new() { RunContinuationsAsynchronously = true };
    private long _lastDataWrite = Environment.TickCount64;
    private long _flushPendingSince;
    private long _lastBeat;
    private long _written;
    private long _writtenDirectly;

    /// <summary>When the last application message was written (<see cref="Environment.TickCount64"/>); heartbeats do not count.</summary>
    public long LastDataWrite => Volatile.Read(ref _lastDataWrite);

    /// <summary>Application messages handed to the transport so far (heartbeats do not count).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Of <see cref="Written"/>, those a sender wrote on its own thread into the idle connection, without queueing.</summary>
    public long WrittenDirectly => Volatile.Read(ref _writtenDirectly);

    /// <summary>Since when a flush has waited for the client (<see cref="Environment.TickCount64"/>), or 0 when none is waiting.</summary>
    public long FlushPendingSince => Volatile.Read(ref _flushPendingSince);

    /// <summary>Sends the headers and what was queued before, on the thread pool: the handler goes on meanwhile.</summary>
    public void Start()
    {
        Volatile.Write(ref _started, true);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>A scheduled turn as owner: the opening, a wake-up, or finishing off the thread of a sender.</summary>
    void IThreadPoolWorkItem.Execute() => Run(inline: false, written: 0);

    private bool TryClaim() => Interlocked.CompareExchange(ref _owner, Owned, Idle) == Idle;

    /// <summary>
    /// Called as owner, after writing <paramref name="written"/> messages of its own: writes everything queued, flushes,
    /// and lets go, or hands ownership to a continuation when a flush must be awaited. On a sender's thread
    /// (<paramref name="inline"/>) the stream is never finished here: the close handlers run on the thread pool, not
    /// inside someone's Send.
    /// </summary>
    private void Run(bool inline, long written, bool flushNeeded = false)
    {
        try
        {
            if (!_opened)
            {
                if (!_admitted && stream.Admission is { } admission)
                {
                    // Counted in Redis first (stream.maxPerUser): the continuation owns the connection until the answer is in.
                    _ = OpenWhenAdmittedAsync(admission);
                    return;
                }

                _opened = true;
                var opening = transport.OpenAsync(stream.Registry.Options.Retry);
                if (!opening.IsCompletedSuccessfully)
                {
                    // A handshake to wait for (WebSocket): the continuation owns the connection until it is done.
                    _ = ContinueAfterOpenAsync(opening);
                    return;
                }

                flushNeeded = true;
            }

            while (true)
            {
                while (stream.Ending != StreamEnding.Cut && queue.TryRead(out var message))
                {
                    Write(message);
                    written++;
                    if (transport.UnflushedBytes >= FlushThreshold)
                    {
                        if (!Flushed(written))
                        {
                            return;
                        }

                        written = 0;
                        flushNeeded = false;
                    }
                }

                if ((written > 0 || flushNeeded) && stream.Ending != StreamEnding.Cut)
                {
                    if (!Flushed(written))
                    {
                        return;
                    }

                    written = 0;
                    flushNeeded = false;
                }

                if (stream.Ending == StreamEnding.Cut || (queue.IsCompleted && queue.IsEmpty))
                {
                    FinishAsOwner(inline);
                    return;
                }

                // A full fence, not just a release: the look at the queue below must not be answered before the
                // connection is seen idle, or a sender that queued meanwhile and found it owned would be missed.
                Interlocked.Exchange(ref _owner, Idle);

                // A sender that queued while this thread owned the connection found it owned and left the message here.
                if ((queue.IsEmpty && !queue.IsCompleted) || !TryClaim())
                {
                    return;
                }
            }
        }
        catch (Exception e)
        {
            Failed(e);
            if (Volatile.Read(ref _owner) != Finished)
            {
                FinishAsOwner(inline);
            }
        }
    }

    /// <summary>Writes as the owner on a sender's thread; false when the write failed and the stream is being finished.</summary>
    private bool WrittenNow(in StreamMessage message)
    {
        if (stream.Ending == StreamEnding.Cut)
        {
            return true;
        }

        try
        {
            Write(message);
            if (message.Kind != StreamMessageKind.Heartbeat)
            {
                // Only the owner writes, so the count needs no atomic step.
                Volatile.Write(ref _writtenDirectly, _writtenDirectly + 1);
            }

            return true;
        }
        catch (Exception e)
        {
            Failed(e);
            FinishAsOwner(inline: true);
            return false;
        }
    }

    /// <summary>Flushes; true when the flush completed at once and the connection is still there. Else the continuation (or the cut) owns it now.</summary>
    private bool Flushed(long written)
    {
        var flush = FlushAsync(written);
        if (!flush.IsCompleted)
        {
            // The continuation observes every outcome of the flush; nothing escapes it.
            _ = ContinueAfterFlushAsync(flush);
            return false;
        }

        if (flush.Result.IsCompleted)
        {
            stream.Cut("the connection closed", abort: false);
        }

        return true;
    }

    /// <summary>A flush the client holds up: the registry's timer cuts the connection if it waits past <c>stream.writeTimeout</c>.</summary>
    private async Task ContinueAfterFlushAsync(ValueTask<FlushResult> flush)
    {
        Volatile.Write(ref _flushPendingSince, Environment.TickCount64);
        try
        {
            if ((await flush).IsCompleted)
            {
                stream.Cut("the connection closed", abort: false);
            }
        }
        catch (Exception e)
        {
            Failed(e);
        }
        finally
        {
            Volatile.Write(ref _flushPendingSince, 0);
        }

        Run(inline: false, written: 0);
    }

    /// <summary>An opening that did not complete at once; its failure finishes the stream like a failed write.</summary>
    private async Task ContinueAfterOpenAsync(ValueTask opening)
    {
        try
        {
            await opening;
        }
        catch (Exception e)
        {
            Failed(e);
            FinishAsOwner(inline: false);
            return;
        }

        Run(inline: false, written: 0, flushNeeded: true);
    }

    private void Failed(Exception e)
    {
        if (IsConnectionGone(e))
        {
            stream.Cut("the connection closed while writing", abort: false);
            return;
        }

        logger.LogError(e, "Stream {Route}: writing failed; closing the stream", stream.Route);
        stream.Cut("writing failed", abort: true);
    }

    private void FinishAsOwner(bool inline)
    {
        if (inline)
        {
            // Still the owner; the scheduled turn finds the stream closed and finishes it.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }

        Volatile.Write(ref _owner, Finished);
        try
        {
            stream.Finish();
        }
        finally
        {
            Volatile.Read(ref _done)?.TrySetResult();
            WriterArrives();
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

        return transport.FlushAsync();
    }

    private void Write(in StreamMessage message)
    {
        if (message.Kind != StreamMessageKind.Heartbeat)
        {
            Volatile.Write(ref _lastDataWrite, Environment.TickCount64);
            Volatile.Write(ref _written, _written + 1);
        }

        try
        {
            transport.Write(message);
        }
        catch (Exception e) when (IsUnserialisable(e))
        {
            transport.Write(Unserialisable(message, e));
        }
    }

    private static bool IsUnserialisable(Exception e) =>
        e is NotSupportedException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException;

    /// <summary>Logs a message whose data could not be serialised; the error message the client gets instead.</summary>
    private StreamMessage Unserialisable(in StreamMessage message, Exception e)
    {
        logger.LogError(e, "Stream {Route}: a message of type {Type} could not be serialised; an error message was sent instead", stream.Route, message.Data?.GetType().FullName);
        return StreamMessage.Message(new StreamError($"A message of type {message.Data?.GetType().Name} could not be serialised: {e.Message}"));
    }
}
