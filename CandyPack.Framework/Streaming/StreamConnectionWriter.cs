using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The one writer of a stream's connection at any moment. Whoever sends while the connection is idle takes it over
/// (an ownership flag: idle, owned, finished) and writes straight into the transport on its own thread
/// (<see cref="Senders"/>); what arrives while it is owned waits in the queue and the owner writes it too, flushing
/// once for all. A flush the client holds up (backpressure, or a transport whose send is asynchronous) passes
/// ownership to a continuation that awaits it, so no sender ever waits for a client. The owner opens the connection
/// first (<see cref="StreamOpening"/>); once the stream closes and the queue is drained, it finishes the stream, and
/// the closing messages follow (<see cref="StreamClosingMessages"/>).
/// </summary>
internal sealed class StreamConnectionWriter : IThreadPoolWorkItem
{
    /// <summary>Unflushed bytes past which the owner flushes before it writes more.</summary>
    public const int FlushThreshold = 32 * 1024;

    private const int Idle = 0;
    private const int Owned = 1;
    private const int Finished = 2;

    private readonly CandyStream _stream;
    private readonly IStreamTransport _transport;
    private readonly StreamQueue _queue;
    private readonly HttpContext _context;
    private readonly ILogger _logger;
    private readonly StreamClosingMessages _closingMessages;
    private readonly StreamFlush _flush;

    /// <summary>Until the connection is open; dropped then, so an idle stream does not keep it.</summary>
    private StreamOpening? _opening;

    /// <summary>Who may write: nobody (idle), one thread or continuation (owned), nobody ever again (finished). Owned until opened.</summary>
    private int _owner = Owned;
    private bool _started;
    private TaskCompletionSource? _done;
    private long _lastDataWrite = Environment.TickCount64;
    private long _written;

    public StreamConnectionWriter(CandyStream stream, IStreamTransport transport, StreamQueue queue, HttpContext context, ILogger logger)
    {
        _stream = stream;
        _transport = transport;
        _queue = queue;
        _context = context;
        _logger = logger;
        _opening = new StreamOpening(this, stream, transport, context, logger);
        _flush = new StreamFlush(this);
        _closingMessages = new StreamClosingMessages(this);
        Senders = new StreamSenders(this, stream, transport, queue);
    }

    internal CandyStream Stream => _stream;

    internal IStreamTransport Transport => _transport;

    internal HttpContext Context => _context;

    internal ILogger Logger => _logger;

    internal StreamFlush Flush => _flush;

    /// <summary>The ways in: sends written at once into an idle connection, else queued; pulled messages queued.</summary>
    public StreamSenders Senders { get; }

    /// <summary>When the last application message was written (<see cref="Environment.TickCount64"/>); heartbeats do not count.</summary>
    public long LastDataWrite => Volatile.Read(ref _lastDataWrite);

    /// <summary>Application messages handed to the transport so far (heartbeats do not count).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Since when a flush has waited for the client (<see cref="Environment.TickCount64"/>), or 0 when none is waiting.</summary>
    public long FlushPendingSince => _flush.PendingSince;

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

    /// <summary>Sends the headers and what was queued before, on the thread pool: the handler goes on meanwhile.</summary>
    public void Start()
    {
        Volatile.Write(ref _started, true);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// Awaited by the request's endpoint once its handler has returned: completes when the stream has finished and its
    /// closing messages (the failure, a reconnection hint, <c>end</c>) are written.
    /// </summary>
    public ValueTask FinishResponseAsync()
    {
        // Never started (opening it failed): there is no event stream to finish.
        return Volatile.Read(ref _started) ? _closingMessages.EndpointArrivesAsync() : default;
    }

    /// <summary>A scheduled turn as owner: the opening, a wake-up, or finishing off the thread of a sender.</summary>
    void IThreadPoolWorkItem.Execute() => Run(inline: false, written: 0);

    /// <summary>Something changed while the connection may be idle (queued messages, the stream closing): an idle one is written on the thread pool.</summary>
    public void Wake()
    {
        if (TryClaim())
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Takes an idle connection over; true when this caller is its owner now.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _owner, Owned, Idle) == Idle;

    /// <summary>
    /// Called as owner, after writing <paramref name="written"/> messages of its own: writes everything queued, flushes,
    /// and lets go, or hands ownership to a continuation when a flush must be awaited. On a sender's thread
    /// (<paramref name="inline"/>) the stream is never finished here: the close handlers run on the thread pool, not
    /// inside someone's Send.
    /// </summary>
    public void Run(bool inline, long written, bool flushNeeded = false)
    {
        try
        {
            if (_opening is { } opening)
            {
                if (!opening.IsOpened && !opening.TryOpenNow())
                {
                    return;
                }

                _opening = null;
                flushNeeded = true;
            }

            while (true)
            {
                while (_stream.Ending != StreamEnding.Cut && _queue.TryRead(out var message))
                {
                    Write(message);
                    written++;
                    if (_transport.UnflushedBytes >= FlushThreshold)
                    {
                        if (!_flush.Flushed(written))
                        {
                            return;
                        }

                        written = 0;
                        flushNeeded = false;
                    }
                }

                if ((written > 0 || flushNeeded) && _stream.Ending != StreamEnding.Cut)
                {
                    if (!_flush.Flushed(written))
                    {
                        return;
                    }

                    written = 0;
                    flushNeeded = false;
                }

                if (_stream.Ending == StreamEnding.Cut || (_queue.IsCompleted && _queue.IsEmpty))
                {
                    FinishAsOwner(inline);
                    return;
                }

                // A full fence, not just a release: the look at the queue below must not be answered before the
                // connection is seen idle, or a sender that queued meanwhile and found it owned would be missed.
                Interlocked.Exchange(ref _owner, Idle);

                // A sender that queued while this thread owned the connection found it owned and left the message here.
                if ((_queue.IsEmpty && !_queue.IsCompleted) || !TryClaim())
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

    /// <summary>Writes one message as the owner; a value that cannot be serialised becomes an error message.</summary>
    public void Write(in StreamMessage message)
    {
        if (message.Kind != StreamMessageKind.Heartbeat)
        {
            Volatile.Write(ref _lastDataWrite, Environment.TickCount64);
            Volatile.Write(ref _written, _written + 1);
        }

        try
        {
            _transport.Write(message);
        }
        catch (Exception e) when (IsUnserialisable(e))
        {
            _transport.Write(Unserialisable(message, e));
        }
    }

    /// <summary>A write or an opening failed: the stream is cut, and the failure logged unless the client had gone.</summary>
    public void Failed(Exception e)
    {
        if (IsConnectionGone(e, _context))
        {
            _stream.Cut("the connection closed while writing", abort: false);
            return;
        }

        _logger.LogError(e, "Stream {Route}: writing failed; closing the stream", _stream.Route);
        _stream.Cut("writing failed", abort: true);
    }

    /// <summary>
    /// Lets go of the connection for good and finishes the stream, then meets the endpoint for the closing messages;
    /// on a sender's thread (<paramref name="inline"/>) this is left to a scheduled turn.
    /// </summary>
    public void FinishAsOwner(bool inline)
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
            _stream.Finish();
        }
        finally
        {
            Volatile.Read(ref _done)?.TrySetResult();
            _closingMessages.WriterArrives();
        }
    }

    public static bool IsConnectionGone(Exception e, HttpContext context) =>
        e is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException or System.Net.WebSockets.WebSocketException ||
        (e is InvalidOperationException && context.RequestAborted.IsCancellationRequested);

    public static bool IsUnserialisable(Exception e) =>
        e is NotSupportedException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException;

    /// <summary>Logs a message whose data could not be serialised; the error message the client gets instead.</summary>
    public StreamMessage Unserialisable(in StreamMessage message, Exception e)
    {
        _logger.LogError(e, "Stream {Route}: a message of type {Type} could not be serialised; an error message was sent instead", _stream.Route, message.Data?.GetType().FullName);
        return StreamMessage.Message(new StreamError($"A message of type {message.Data?.GetType().Name} could not be serialised: {e.Message}"));
    }
}
