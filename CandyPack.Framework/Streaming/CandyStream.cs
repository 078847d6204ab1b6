using CandyPack.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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
public sealed class CandyStream
{
    /// <summary>The client's address, read while the request is ours: a slow consumer is named after its request may have ended.</summary>
    private readonly System.Net.IPAddress? _client;
    private readonly RouteInfo _route;
    private readonly StreamRegistry _registry;
    private readonly StreamConnectionWriter _writer;
    private readonly StreamSenders _senders;
    private readonly StreamQueue _queue;
    private readonly StreamCloseHandlers _onClose;
    private readonly StreamInbox? _inbox;
    private readonly StreamClosing _closing;
    private StreamWatch _watch;
    private Func<object?, bool>? _send;

    internal CandyStream(HttpContext context, RouteInfo route, StreamRegistry registry, IStreamTransport transport, ILogger logger)
    {
        _client = context.Features.Get<IHttpConnectionFeature>()?.RemoteIpAddress;
        _route = route;
        _registry = registry;
        _queue = new StreamQueue(registry.Options.Queue, registry.Options.QueueBytes);
        _onClose = new StreamCloseHandlers(route, logger);
        _writer = new StreamConnectionWriter(this, transport, _queue, context, logger);
        _senders = _writer.Senders;
        _inbox = transport.MaxUnreadBytes > 0 ? new StreamInbox(route, transport.MaxUnreadBytes, registry.Options.Queue, logger) : null;
        _closing = new StreamClosing(this, context, logger);
    }

    /// <summary>Raised once when the stream closes, whoever closed it.</summary>
    public event Action? Closed
    {
        add => On("close", value!);
        remove => _onClose.Remove(value!);
    }

    /// <summary><see langword="true"/> until the stream starts closing; <see cref="Send(object?)"/> then returns false.</summary>
    public bool IsOpen => _closing.IsOpen;

    /// <summary>
    /// Cancelled when the stream closes: pass it to timers, loops and I/O that feed the stream. Its callbacks run on the
    /// thread pool, never inside the <c>Send</c> or publish that ended the stream (a slow consumer cut), so one that blocks
    /// holds up no sender.
    /// </summary>
    public CancellationToken CancellationToken => _onClose.Token;

    /// <summary>Completes when the stream has closed and its close handlers have run.</summary>
    public Task Completion => _writer.Completion;

    /// <summary>
    /// <see langword="true"/> when the client can send messages on this stream (a WebSocket); false over Server-Sent
    /// Events, where a client sends with a regular request such as a POST.
    /// </summary>
    public bool CanReceive => _inbox is not null;

    internal RouteInfo Route => _route;

    /// <summary>Where a transport that can receive hands the client's messages.</summary>
    internal StreamInbox? Inbox => _inbox;

    /// <summary>The registry's heartbeat bucket this stream is in.</summary>
    internal int Bucket { get; set; }

    internal StreamRegistry Registry => _registry;

    internal StreamQueue Queue => _queue;

    internal StreamCloseHandlers CloseHandlers => _onClose;

    internal StreamConnectionWriter Writer => _writer;

    internal System.Net.IPAddress? Client => _client;

    internal StreamEnding Ending => _closing.Ending;

    /// <summary>How many messages wait in the stream's queue now.</summary>
    internal int Queued => _queue.Count;

    /// <summary>Application messages written into the connection so far.</summary>
    internal long Written => _writer.Written;

    /// <summary>Of <see cref="Written"/>, those a sender wrote straight into the idle connection on its own thread.</summary>
    internal long WrittenDirectly => _senders.WrittenDirectly;

    /// <summary>A flush waits for the client to read.</summary>
    internal bool WaitsForClient => _writer.FlushPendingSince > 0;

    /// <summary>
    /// The per-user count (<c>stream.maxPerUser</c>) asked of Redis when the stream opened, which the stream's start
    /// awaits: null once counted, else the refusal; null when it was decided before the stream started.
    /// </summary>
    internal Task<string?>? Admission { get; private set; }

    /// <summary>The failure the stream closed with, told to the client after the rest of the stream.</summary>
    internal Exception? Failure => _closing.Failure;

    /// <summary>Sends one message: a string as it is, anything else as JSON.</summary>
    /// <returns><see langword="false"/> when the stream is closed or the message was refused (slow consumer).</returns>
    public bool Send(object? data) => Push(StreamMessage.Message(data));

    /// <summary>Sends one message with an event name (the client's <c>addEventListener(name)</c>) and an optional id.</summary>
    /// <returns><see langword="false"/> when the stream is closed or the message was refused (slow consumer).</returns>
    /// <exception cref="ArgumentException">
    /// The event name or id contains a line break or NUL, or the event name is <c>end</c> or <c>reset</c>, which the framework uses.
    /// </exception>
    public bool Send(object? data, string? eventName, string? id = null)
    {
        StreamEvents.Validate(eventName, id);
        return Push(StreamMessage.Message(data, eventName, id));
    }

    /// <summary>Sends a message under a name the framework reserves (a channel's <c>reset</c>); applications cannot.</summary>
    internal bool SendReserved(object? data, string eventName, string? id) => Push(StreamMessage.Message(data, eventName, id));

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
    public void Close() => _closing.BeginClosing(StreamEnding.End);

    /// <summary>Runs <paramref name="handler"/> once when the stream closes (<paramref name="eventName"/> is <c>"close"</c>), or at once if it has.</summary>
    /// <exception cref="ArgumentException">The event is not <c>"close"</c>.</exception>
    public void On(string eventName, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!string.Equals(eventName, "close", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"CandyStream has no '{eventName}' event; the one event is \"close\".", nameof(eventName));
        }

        _onClose.Add(handler);
    }

    /// <summary>
    /// Runs <paramref name="handler"/> for each message the client sends (<paramref name="eventName"/> is
    /// <c>"message"</c>), as text. Messages sent before the first handler or reader listened are handed to it first.
    /// </summary>
    /// <exception cref="ArgumentException">The event is not <c>"message"</c>.</exception>
    /// <exception cref="NotSupportedException">The stream cannot receive (<see cref="CanReceive"/> is false): it is Server-Sent Events.</exception>
    public void On(string eventName, Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!string.Equals(eventName, "message", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"CandyStream has no '{eventName}' event with a message; the one is \"message\".", nameof(eventName));
        }

        Receiving().Add(handler);
    }

    /// <summary>
    /// The messages the client sends, as text, in order, until the stream closes; waits for each. While this reader is
    /// <c>stream.queue</c> messages behind, the server stops reading the socket, so the client slows down.
    /// </summary>
    /// <exception cref="NotSupportedException">The stream cannot receive (<see cref="CanReceive"/> is false): it is Server-Sent Events.</exception>
    /// <exception cref="InvalidOperationException">The messages are already being read elsewhere.</exception>
    public IAsyncEnumerable<string> ReadMessagesAsync(CancellationToken cancellationToken = default) =>
        Receiving().ReadAllAsync(cancellationToken);

    private StreamInbox Receiving() => _inbox ?? throw new NotSupportedException(
        $"{_route}: this stream is Server-Sent Events, which cannot receive messages from the client. " +
        "Receive over WebSocket (check stream.CanReceive), and let SSE clients send with a regular request such as a POST.");

    /// <summary>The <c>send</c> function handed to callbacks.</summary>
    internal Func<object?, bool> SendFunction => _send ??= Send;

    /// <summary>Makes the stream's start wait for <paramref name="admission"/>, the count of <c>stream.maxPerUser</c> in Redis.</summary>
    internal void AwaitAdmission(Task<string?> admission) => Admission = admission;

    internal CandyStream Started()
    {
        _closing.WatchClient();
        _writer.Start();
        return this;
    }

    /// <summary>Writes from a pulled producer, waiting while the queue is full: pulled sources go as fast as the client reads.</summary>
    internal ValueTask<bool> WriteAsync(object? data, CancellationToken cancellationToken) =>
        Pull(StreamMessage.Message(data), cancellationToken);

    /// <inheritdoc cref="StreamWatch.Check"/>
    internal void Check(long now, long idleAfter, long stallAfter) => _watch.Check(this, now, idleAfter, stallAfter);

    /// <summary>Sends messages made once for many connections (a channel's live messages), in order; an idle connection gets them with one flush.</summary>
    /// <returns><see langword="false"/> when the stream is closed or a message was refused (slow consumer).</returns>
    internal bool PushShared<T>(ReadOnlySpan<T> messages, Func<T, SharedMessage> select)
    {
        if (!_closing.IsOpen)
        {
            return false;
        }

        var taken = _senders.TryWriteAllNow(messages, select);
        if (taken == messages.Length)
        {
            return true;
        }

        if (taken >= 0)
        {
            return Refused();
        }

        foreach (var message in messages)
        {
            if (!Push(StreamMessage.Share(select(message))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sends a message made once for many connections (a channel's live message).</summary>
    internal bool PushShared(SharedMessage message) => Push(StreamMessage.Share(message));

    /// <summary>Writes a message made once for many connections, waiting while the queue is full (a channel's replay).</summary>
    internal ValueTask<bool> WriteSharedAsync(SharedMessage message, CancellationToken cancellationToken) =>
        Pull(StreamMessage.Share(message), cancellationToken);

    private bool Push(StreamMessage message)
    {
        if (!_closing.IsOpen)
        {
            return false;
        }

        return _senders.TryPush(message) || Refused();
    }

    /// <summary>A message the queue had no room for: the stream is cut as a slow consumer, unless the route drops such messages.</summary>
    private bool Refused()
    {
        if (!_closing.IsOpen)
        {
            return false;
        }

        if (!_registry.DropsOnSlowConsumer(_route, _client))
        {
            Cut("slow consumer", abort: true);
        }

        return false;
    }

    /// <inheritdoc cref="StreamClosing.Fail"/>
    internal void Fail(Exception error) => _closing.Fail(error);

    /// <inheritdoc cref="StreamClosing.AskToReconnect"/>
    internal void AskToReconnect() => _closing.AskToReconnect();

    /// <inheritdoc cref="StreamClosing.Cut"/>
    internal void Cut(string reason, bool abort) => _closing.Cut(reason, abort);

    /// <inheritdoc cref="StreamClosing.Refuse"/>
    internal bool Refuse() => _closing.Refuse();

    /// <inheritdoc cref="StreamClosing.Finish"/>
    internal void Finish() => _closing.Finish();

    /// <summary>
    /// The stream failed before it started (what the request set up between opening and starting it threw); its close
    /// handlers release what it held (its user's stream count, its presence, its subscription).
    /// </summary>
    internal void Abandon() => _closing.Abandon();

    /// <summary>
    /// Awaited by the request's endpoint after its handler returned: waits for the queue to drain, then writes the
    /// failure and the <c>end</c> event, so nothing the handler did can land after the end.
    /// </summary>
    internal ValueTask FinishResponseAsync() => _writer.FinishResponseAsync();

    /// <summary>Queues for a pulled producer: at once when there is room, else once the writer has made some.</summary>
    private ValueTask<bool> Pull(StreamMessage message, CancellationToken cancellationToken) =>
        _closing.IsOpen ? _senders.PullAsync(message, cancellationToken) : ValueTask.FromResult(false);
}
