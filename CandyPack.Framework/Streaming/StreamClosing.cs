using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// A stream's closing state machine: open, closing with the ending it chose (closed on purpose, asked to reconnect,
/// cut, refused), then closed once its writer has stopped. An ending, once chosen, is only ever replaced by a cut, and
/// the failure the stream closed with is kept for the client. Each move completes the queue and stops the producers as
/// it must; the close handlers run once, when the stream is closed.
/// </summary>
internal sealed class StreamClosing(CandyStream stream, HttpContext context, ILogger logger)
{
    private const int StateOpen = 0;
    private const int StateClosing = 1;
    private const int StateClosed = 2;

    // The moves between states are made under this object's own monitor: an ending, once chosen, is only ever replaced
    // by a cut, and a cut's abort never lands after the stream finished and its request may have ended. No other code
    // sees this object, and a lock object of its own would cost every idle stream 40 bytes.
    private CancellationTokenRegistration _clientGone;
    private int _state;
    private volatile StreamEnding _ending;
    private Exception? _failure;

    /// <summary>Until the stream starts closing.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == StateOpen;

    public StreamEnding Ending => _ending;

    /// <summary>The failure the stream closed with, told to the client after the rest of the stream.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>From now on the client leaving cuts the stream.</summary>
    public void WatchClient() =>
        _clientGone = context.RequestAborted.Register(static s => ((StreamClosing)s!).Cut("the client disconnected", abort: false), this);

    /// <summary>
    /// Closes the stream because its producer or handler failed: logged here, told to the client after what is already
    /// queued. A transient failure (the database is away) ends without <c>end</c>, so the client comes back.
    /// </summary>
    public void Fail(Exception error)
    {
        var transient = StreamFailure.IsTransient(error);
        if (transient)
        {
            // The database layer logs an outage once, however many streams meet it.
            logger.LogDebug(error, "Stream {Route} met a transient failure; the client gets an error message and reconnects", stream.Route);
        }
        else
        {
            logger.LogError(error, "Stream {Route} failed; the client gets an error message and the stream closes", stream.Route);
        }

        Interlocked.CompareExchange(ref _failure, error, null);

        BeginClosing(transient ? StreamEnding.Reconnect : StreamEnding.End);
    }

    /// <summary>Ends the stream without <c>end</c> once what is queued is written, so the client reconnects (shutdown, replay overflow).</summary>
    public void AskToReconnect()
    {
        BeginClosing(StreamEnding.Reconnect);
        stream.CloseHandlers.CancelProducers();
    }

    /// <summary>Stops writing at once: the client left, or fell so far behind that it is cut off.</summary>
    public void Cut(string reason, bool abort)
    {
        lock (this)
        {
            // A finished stream's request may be over, and its HttpContext reused by the connection's next request:
            // neither its ending nor that request is touched.
            if (Volatile.Read(ref _state) == StateClosed)
            {
                return;
            }

            logger.LogDebug("Stream {Route} cut: {Reason}", stream.Route, reason);
            _ending = StreamEnding.Cut;
            Volatile.Write(ref _state, StateClosing);
            if (abort)
            {
                // Releases a writer blocked on a client that stopped reading; before the close handlers, which may be slow.
                context.Abort();
            }
        }

        stream.Queue.Complete();
        stream.CloseHandlers.CancelProducers();

        // An idle connection has no writer to notice the cut: one is woken to finish the stream.
        stream.Writer.Wake();
    }

    /// <summary>
    /// Closes a stream that <c>stream.maxPerUser</c> refused before it started (its count was asked of Redis): its
    /// producers stop and nothing of it is written. False when the client had left first, so no refusal is written either.
    /// </summary>
    public bool Refuse()
    {
        lock (this)
        {
            if (_ending == StreamEnding.Cut)
            {
                return false;
            }

            _ending = StreamEnding.Refused;
            Volatile.Write(ref _state, StateClosing);
        }

        stream.Queue.Complete();
        stream.CloseHandlers.CancelProducers();
        return true;
    }

    /// <summary>Called by the writer when it has stopped: the one place a stream finishes closing.</summary>
    public void Finish()
    {
        lock (this)
        {
            Volatile.Write(ref _state, StateClosed);
        }

        stream.Queue.Complete();
        _clientGone.Dispose();
        stream.Registry.Remove(stream);
        stream.Inbox?.Complete();
        stream.CloseHandlers.Close();
    }

    /// <summary>
    /// The stream failed before it started: nothing was sent, and no writer will ever finish it, so it finishes here,
    /// giving back its place among the open streams and running its close handlers.
    /// </summary>
    public void Abandon()
    {
        lock (this)
        {
            _ending = StreamEnding.Cut;
            Volatile.Write(ref _state, StateClosed);
        }

        stream.Queue.Complete();
        stream.Registry.Remove(stream);
        stream.Inbox?.Complete();
        stream.CloseHandlers.Close();
    }

    /// <summary>Chooses how an open stream ends, once what is queued is written.</summary>
    public void BeginClosing(StreamEnding ending)
    {
        lock (this)
        {
            // Only an open stream chooses its ending here: a cut that came first stays a cut.
            if (Volatile.Read(ref _state) != StateOpen)
            {
                return;
            }

            _ending = ending;
            Volatile.Write(ref _state, StateClosing);
        }

        stream.Queue.Complete();
        stream.Writer.Wake();
    }
}
