using System.Threading.Channels;
using CandyPack.Streaming;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack;

/// <summary>
/// An open event stream, as <c>candy.Stream()</c> returns it: send messages, report an error, close it, and
/// learn when it closes. It stays open after the controller returns, until <see cref="Close"/> is called, the
/// producer it was given ends, or the client goes away.
/// </summary>
/// <remarks>
/// Messages pass through a bounded per-connection queue (<c>stream.queue</c> in config.json). A client that falls
/// so far behind that the queue fills is a slow consumer: by default it is disconnected and logged, so memory
/// stays bounded. All members are safe to call from any thread.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source has no timer; it is cancelled on close and needs no disposal.")]
public sealed class CandyStream
{
    private readonly HttpContext _context;
    private readonly RouteInfo _route;
    private readonly StreamRegistry _registry;
    private readonly ILogger _logger;
    private readonly IStreamTransport _transport;
    private readonly Channel<StreamMessage> _queue;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancellation;
    private CancellationTokenRegistration _clientGone;
    private List<Action>? _closeHandlers;
    private Func<object?, bool>? _send;
    private Task _completion = Task.CompletedTask;
    private int _state;
    private bool _sendEnd;
    private bool _abandoned;
    private bool _activeSinceHeartbeat;
    private string? _lateError;
    private bool _handlerReturned;
    private TaskCompletionSource? _handlerWaiter;

    internal CandyStream(HttpContext context, RouteInfo route, StreamRegistry registry, IStreamTransport transport, ILogger logger)
    {
        _context = context;
        _route = route;
        _registry = registry;
        _transport = transport;
        _logger = logger;
        _queue = Channel.CreateBounded<StreamMessage>(new BoundedChannelOptions(registry.Options.Queue)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>Raised once when the stream closes, whoever closed it.</summary>
    public event Action? Closed
    {
        add => On("close", value!);
        remove
        {
            lock (_gate)
            {
                _closeHandlers?.Remove(value!);
            }
        }
    }

    /// <summary><see langword="true"/> until the stream starts closing; <see cref="Send(object?)"/> then returns false.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == StateOpen;

    /// <summary>Cancelled when the stream closes: pass it to timers, loops and I/O that feed the stream.</summary>
    public CancellationToken CancellationToken
    {
        get
        {
            lock (_gate)
            {
                if (_cancellation is null)
                {
                    _cancellation = new CancellationTokenSource();
                    if (Volatile.Read(ref _state) == StateClosed)
                    {
                        _cancellation.Cancel();
                    }
                }

                return _cancellation.Token;
            }
        }
    }

    /// <summary>Completes when the stream has closed and its close handlers have run.</summary>
    public Task Completion => _completion;

    private const int StateOpen = 0;
    private const int StateClosing = 1;
    private const int StateClosed = 2;

    /// <summary>Sends one message: a string as it is, anything else as JSON.</summary>
    /// <returns><see langword="false"/> when the stream is closed or the message was refused (slow consumer).</returns>
    public bool Send(object? data) => Push(StreamMessage.Message(data));

    /// <summary>Sends one message with an event name (the client's <c>addEventListener(name)</c>) and an optional id.</summary>
    /// <returns><see langword="false"/> when the stream is closed or the message was refused (slow consumer).</returns>
    /// <exception cref="ArgumentException">The event name or id contains a line break.</exception>
    public bool Send(object? data, string? eventName, string? id = null)
    {
        SseFormatter.ValidateField(eventName, nameof(eventName));
        SseFormatter.ValidateField(id, nameof(id));
        return Push(StreamMessage.Message(data, eventName, id));
    }

    /// <summary>Sends <c>{"error": message}</c>, as the guide's clients expect, then closes the stream.</summary>
    /// <returns><see langword="false"/> when the stream was already closed.</returns>
    public bool Error(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sent = Push(StreamMessage.Message(new StreamError(message)));
        Close();
        return sent;
    }

    /// <summary>Closes the stream after the messages already sent: the client gets an <c>end</c> event and does not reconnect.</summary>
    public void Close()
    {
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) == StateOpen)
        {
            _sendEnd = true;
            _queue.Writer.TryComplete();
        }
    }

    /// <summary>Runs <paramref name="handler"/> once when the stream closes (<paramref name="eventName"/> is <c>"close"</c>), or at once if it has.</summary>
    /// <exception cref="ArgumentException">The event is not <c>"close"</c>.</exception>
    public void On(string eventName, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!string.Equals(eventName, "close", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"CandyStream has no '{eventName}' event; the one event is \"close\".", nameof(eventName));
        }

        lock (_gate)
        {
            if (Volatile.Read(ref _state) != StateClosed)
            {
                (_closeHandlers ??= []).Add(handler);
                return;
            }
        }

        RunHandler(handler);
    }

    /// <summary>The <c>send</c> function handed to callbacks.</summary>
    internal Func<object?, bool> SendFunction => _send ??= Send;

    internal CandyStream Started()
    {
        Start();
        return this;
    }

    internal void Start()
    {
        _clientGone = _context.RequestAborted.Register(static s => ((CandyStream)s!).Abandon("the client disconnected", abort: false), this);
        _completion = RunAsync();
    }

    /// <summary>Writes from a pulled producer, waiting while the queue is full: pulled sources go as fast as the client reads.</summary>
    internal ValueTask<bool> WriteAsync(object? data, CancellationToken cancellationToken) =>
        Pull(StreamMessage.Message(data), cancellationToken);

    /// <summary>Reports a producer failure: logged, sent as an error message, then the stream closes.</summary>
    internal void Fail(Exception error)
    {
        if (error is Data.DatabaseUnavailableException)
        {
            // The database layer logs an outage once, however many streams meet it.
            _logger.LogDebug(error, "Stream {Route} met the database outage; the client gets an error message and the stream closes", _route);
        }
        else
        {
            _logger.LogError(error, "Stream {Route} failed; the client gets an error message and the stream closes", _route);
        }
        if (Volatile.Read(ref _state) != StateOpen || !_queue.Writer.TryWrite(StreamMessage.Message(new StreamError(error.Message))))
        {
            // The producer already closed (or the queue is full): the writer sends this after what is queued.
            Volatile.Write(ref _lateError, error.Message);
        }

        Close();
    }

    /// <summary>The route's handler has returned (or failed, after reporting it with <see cref="Fail"/>).</summary>
    internal void HandlerReturned()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _handlerReturned = true;
            waiter = _handlerWaiter;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Host shutdown: end the response without an <c>end</c> event, so clients reconnect to the next instance.</summary>
    internal void Shutdown()
    {
        Interlocked.CompareExchange(ref _state, StateClosing, StateOpen);
        _queue.Writer.TryComplete();
        CancelProducers();
    }

    /// <summary>Sends a heartbeat when nothing else was written since the last tick.</summary>
    internal void Heartbeat()
    {
        if (Volatile.Read(ref _state) != StateOpen)
        {
            return;
        }

        if (Volatile.Read(ref _activeSinceHeartbeat))
        {
            Volatile.Write(ref _activeSinceHeartbeat, false);
            return;
        }

        _queue.Writer.TryWrite(StreamMessage.Heartbeat);
    }

    internal bool PushFramed(ReadOnlyMemory<byte> frame) => Push(StreamMessage.Framed(frame));

    /// <summary>Writes a frame made once for many connections, waiting while the queue is full (a channel's replay).</summary>
    internal ValueTask<bool> WriteFramedAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        Pull(StreamMessage.Framed(frame), cancellationToken);

    private bool Push(StreamMessage message)
    {
        if (Volatile.Read(ref _state) != StateOpen)
        {
            return false;
        }

        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        if (Volatile.Read(ref _state) != StateOpen)
        {
            return false;
        }

        _registry.CountSlowConsumer();
        if (_registry.Options.SlowConsumer == SlowConsumerPolicy.DropNewest)
        {
            _logger.LogDebug("Stream {Route}: queue of {Capacity} full, message dropped", _route, _registry.Options.Queue);
            return false;
        }

        _logger.LogWarning(
            "Stream {Route} to {Client}: the client fell {Capacity} messages behind and was disconnected (slow consumer; stream.queue in config.json)",
            _route,
            _context.Connection.RemoteIpAddress,
            _registry.Options.Queue);
        Abandon("slow consumer", abort: true);
        return false;
    }

    /// <summary>Queues for a pulled producer: at once when there is room, else once the writer has made some.</summary>
    private ValueTask<bool> Pull(StreamMessage message, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) != StateOpen)
        {
            return ValueTask.FromResult(false);
        }

        return _queue.Writer.TryWrite(message) ? ValueTask.FromResult(true) : WaitAndWriteAsync(message, cancellationToken);
    }

    private async ValueTask<bool> WaitAndWriteAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(message, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Abandon(string reason, bool abort)
    {
        _logger.LogDebug("Stream {Route} abandoned: {Reason}", _route, reason);
        _abandoned = true;
        Interlocked.CompareExchange(ref _state, StateClosing, StateOpen);
        _queue.Writer.TryComplete();
        CancelProducers();
        if (abort)
        {
            // Releases a writer blocked on a client that stopped reading.
            _context.Abort();
        }
    }

    private void CancelProducers()
    {
        CancellationTokenSource? cancellation;
        lock (_gate)
        {
            cancellation = _cancellation;
        }

        try
        {
            cancellation?.Cancel();
        }
        catch (AggregateException e)
        {
            _logger.LogError(e, "Stream {Route}: a cancellation callback failed", _route);
        }
    }

    /// <summary>The one writer of this connection; its exit is the one place a stream finishes closing.</summary>
    private async Task RunAsync()
    {
        await Task.Yield();
        long written = 0;
        try
        {
            _transport.Open(_registry.Options.Retry);
            var reader = _queue.Reader;
            do
            {
                while (!_abandoned && reader.TryRead(out var message))
                {
                    WriteSafely(message);
                    written++;
                    if (_transport.UnflushedBytes >= FlushThreshold)
                    {
                        if ((await FlushAsync(written)).IsCompleted)
                        {
                            return;
                        }

                        written = 0;
                    }
                }

                Volatile.Write(ref _activeSinceHeartbeat, true);
                if (_abandoned || (await FlushAsync(written)).IsCompleted)
                {
                    return;
                }

                written = 0;
            }
            while (await reader.WaitToReadAsync());

            if (_sendEnd && !_abandoned)
            {
                await HandlerReturnedAsync();
            }

            if (Volatile.Read(ref _lateError) is { } lateError && !_abandoned)
            {
                _transport.Write(StreamMessage.Message(new StreamError(lateError)));
            }

            if (_sendEnd && !_abandoned)
            {
                _transport.WriteEnd();
                await FlushAsync(1);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException or InvalidOperationException && _context.RequestAborted.IsCancellationRequested)
        {
            _logger.LogDebug("Stream {Route}: the connection closed while writing", _route);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Stream {Route}: writing failed; closing the stream", _route);
        }
        finally
        {
            Finish();
        }
    }

    private const int FlushThreshold = 32 * 1024;

    /// <summary>How long a closed stream waits for its handler before the end event; see <see cref="HandlerReturnedAsync"/>.</summary>
    private static readonly TimeSpan HandlerGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A handler that fails after its producer closed (Return after Stream) still gets its error in before the end
    /// event. The wait is bounded, so a handler that itself awaits <see cref="Completion"/> cannot hold the stream.
    /// </summary>
    private async Task HandlerReturnedAsync()
    {
        Task returned;
        lock (_gate)
        {
            if (_handlerReturned)
            {
                return;
            }

            returned = (_handlerWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        try
        {
            await returned.WaitAsync(HandlerGrace);
        }
        catch (TimeoutException)
        {
        }
    }

    private ValueTask<System.IO.Pipelines.FlushResult> FlushAsync(long messages)
    {
        if (messages > 0 && Hosting.CandyMetrics.MessagesSent.Enabled)
        {
            Hosting.CandyMetrics.MessagesSent.Add(messages);
            Hosting.CandyMetrics.BytesSent.Add(_transport.UnflushedBytes);
        }

        return _transport.FlushAsync();
    }

    private void WriteSafely(in StreamMessage message)
    {
        try
        {
            _transport.Write(message);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            _logger.LogError(e, "Stream {Route}: a message of type {Type} could not be serialised; an error message was sent instead", _route, message.Data?.GetType().FullName);
            _transport.Write(StreamMessage.Message(new StreamError($"A message of type {message.Data?.GetType().Name} could not be serialised: {e.Message}")));
        }
    }

    private void Finish()
    {
        List<Action>? handlers;
        lock (_gate)
        {
            Volatile.Write(ref _state, StateClosed);
            handlers = _closeHandlers;
            _closeHandlers = null;
        }

        _queue.Writer.TryComplete();
        _clientGone.Dispose();
        _registry.Remove(this);
        CancelProducers();
        if (handlers is not null)
        {
            foreach (var handler in handlers)
            {
                RunHandler(handler);
            }
        }
    }

    private void RunHandler(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Stream {Route}: a close handler failed", _route);
        }
    }
}
