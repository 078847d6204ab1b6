using CandyPack.Streaming;
using Microsoft.Extensions.Logging;

namespace CandyPack;

// How a stream closes (failed, disconnected, cut, or closed after what is queued) and where it finishes.
public sealed partial class CandyStream
{
    /// <summary>
    /// Closes the stream because its producer or handler failed: logged here, told to the client after what is already
    /// queued. A transient failure (the database is away) ends without <c>end</c>, so the client comes back.
    /// </summary>
    internal void Fail(Exception error)
    {
        var transient = StreamFailure.IsTransient(error);
        if (transient)
        {
            // The database layer logs an outage once, however many streams meet it.
            _logger.LogDebug(error, "Stream {Route} met a transient failure; the client gets an error message and reconnects", _route);
        }
        else
        {
            _logger.LogError(error, "Stream {Route} failed; the client gets an error message and the stream closes", _route);
        }

        Interlocked.CompareExchange(ref _failure, error, null);

        BeginClosing(transient ? StreamEnding.Reconnect : StreamEnding.End);
    }

    /// <summary>Ends the stream without <c>end</c> once what is queued is written, so the client reconnects (shutdown, replay overflow).</summary>
    internal void AskToReconnect()
    {
        BeginClosing(StreamEnding.Reconnect);
        _onClose.CancelProducers();
    }

    /// <summary>Stops writing at once: the client left, or fell so far behind that it is cut off.</summary>
    internal void Cut(string reason, bool abort)
    {
        lock (_finishing)
        {
            // A finished stream's request may be over, and its HttpContext reused by the connection's next request:
            // neither its ending nor that request is touched.
            if (Volatile.Read(ref _state) == StateClosed)
            {
                return;
            }

            _logger.LogDebug("Stream {Route} cut: {Reason}", _route, reason);
            _ending = StreamEnding.Cut;
            Volatile.Write(ref _state, StateClosing);
            if (abort)
            {
                // Releases a writer blocked on a client that stopped reading; before the close handlers, which may be slow.
                _context.Abort();
            }
        }

        _queue.Complete();
        _onClose.CancelProducers();

        // An idle connection has no writer to notice the cut: one is woken to finish the stream.
        _writer.Wake();
    }

    /// <summary>
    /// Closes a stream that <c>stream.maxPerUser</c> refused before it started (its count was asked of Redis): its
    /// producers stop and nothing of it is written. False when the client had left first, so no refusal is written either.
    /// </summary>
    internal bool Refuse()
    {
        lock (_finishing)
        {
            if (_ending == StreamEnding.Cut)
            {
                return false;
            }

            _ending = StreamEnding.Refused;
            Volatile.Write(ref _state, StateClosing);
        }

        _queue.Complete();
        _onClose.CancelProducers();
        return true;
    }

    /// <summary>
    /// Awaited by the request's endpoint after its handler returned: waits for the queue to drain, then writes the
    /// failure and the <c>end</c> event, so nothing the handler did can land after the end.
    /// </summary>
    internal ValueTask FinishResponseAsync() => _writer.FinishResponseAsync();

    /// <summary>Called by the writer when it has stopped: the one place a stream finishes closing.</summary>
    internal void Finish()
    {
        lock (_finishing)
        {
            Volatile.Write(ref _state, StateClosed);
        }

        _queue.Complete();
        _clientGone.Dispose();
        _registry.Remove(this);
        _inbox?.Complete();
        _onClose.Close();
    }

    /// <summary>
    /// The stream failed before it started (what the request set up between opening and starting it threw): nothing was
    /// sent, and no writer will ever finish it, so it finishes here, giving back its place among the open streams and
    /// running its close handlers, which release what it held (its user's stream count, its presence, its subscription).
    /// </summary>
    internal void Abandon()
    {
        lock (_finishing)
        {
            _ending = StreamEnding.Cut;
            Volatile.Write(ref _state, StateClosed);
        }

        _queue.Complete();
        _registry.Remove(this);
        _inbox?.Complete();
        _onClose.Close();
    }

    private void BeginClosing(StreamEnding ending)
    {
        lock (_finishing)
        {
            // Only an open stream chooses its ending here: a cut that came first stays a cut.
            if (Volatile.Read(ref _state) != StateOpen)
            {
                return;
            }

            _ending = ending;
            Volatile.Write(ref _state, StateClosing);
        }

        _queue.Complete();
        _writer.Wake();
    }
}
