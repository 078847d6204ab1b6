using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The messages a client sends on a stream that can receive (a WebSocket): each goes to every <c>On("message")</c>
/// handler and to the reader of <see cref="CandyStream.ReadMessagesAsync"/>. What waits unread is bounded in bytes
/// (<c>websocket.maxUnreadBytes</c>, as received): messages that arrive before anyone listens are held up to it and
/// handed to the first listener, so a client that speaks first loses nothing, and one that sends more to a stream that
/// does not listen is refused; a reader that falls behind by as much slows the client down instead.
/// </summary>
internal sealed class StreamInbox(RouteInfo route, int maxUnreadBytes, int maxUnreadMessages, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Channel<(string Text, int Bytes)> _reader = Channel.CreateUnbounded<(string, int)>(new UnboundedChannelOptions
    {
        SingleWriter = true,
        SingleReader = true,
    });

    private List<Action<string>>? _handlers;
    private List<(string Text, int Bytes)>? _early = [];
    private bool _reading;
    private long _unreadBytes;
    private int _unreadMessages;
    private TaskCompletionSource? _room;

    /// <summary>The most bytes that waited unread at once.</summary>
    public long PeakUnreadBytes { get; private set; }

    public int MaxUnreadBytes => maxUnreadBytes;

    public void Add(Action<string> handler)
    {
        List<(string Text, int Bytes)>? early;
        lock (_gate)
        {
            (_handlers ??= []).Add(handler);
            early = TakeEarly();
        }

        foreach (var (text, _) in early ?? [])
        {
            Run(handler, text);
        }
    }

    public async IAsyncEnumerable<string> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_reading)
            {
                throw new InvalidOperationException($"{route}: the stream's messages are already being read; read them in one place.");
            }

            _reading = true;
            var early = _early;
            _early = null;
            foreach (var message in early ?? [])
            {
                // Still counted as unread until the reader takes them.
                _reader.Writer.TryWrite(message);
            }
        }

        await foreach (var (text, bytes) in _reader.Reader.ReadAllAsync(cancellationToken))
        {
            Taken(bytes);
            yield return text;
        }
    }

    /// <summary>Whether a message of <paramref name="bytes"/> bytes would be refused now, so it need not be decoded.</summary>
    public bool Refuses(int bytes)
    {
        lock (_gate)
        {
            return _early is not null && Over(bytes);
        }
    }

    /// <summary>
    /// Hands a received message of <paramref name="bytes"/> bytes on. Returns <see langword="false"/> when no one listens
    /// and the unread messages would pass <c>websocket.maxUnreadBytes</c> (or <c>stream.queue</c> messages): the
    /// message is not kept and the caller refuses the client. While a reader is that far behind, waits until it reads.
    /// </summary>
    public async ValueTask<bool> DeliverAsync(string text, int bytes, CancellationToken cancellationToken)
    {
        Action<string>[] handlers;
        bool reading;
        lock (_gate)
        {
            if (_early is not null)
            {
                if (Over(bytes))
                {
                    return false;
                }

                _early.Add((text, bytes));
                Count(bytes);
                return true;
            }

            handlers = _handlers is null ? [] : [.. _handlers];
            reading = _reading;
        }

        foreach (var handler in handlers)
        {
            Run(handler, text);
        }

        while (reading)
        {
            Task room;
            lock (_gate)
            {
                if (!Over(bytes))
                {
                    Count(bytes);
                    _reader.Writer.TryWrite((text, bytes));
                    break;
                }

                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            // The socket is not read meanwhile, so the client's sends wait in the network buffers, not here.
            await room.WaitAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>No more messages: the reader's loop ends.</summary>
    public void Complete() => _reader.Writer.TryComplete();

    /// <summary>Whether holding <paramref name="bytes"/> more would pass the bounds; one message always fits alone.</summary>
    private bool Over(int bytes) =>
        _unreadMessages > 0 && (_unreadBytes + bytes > maxUnreadBytes || _unreadMessages >= maxUnreadMessages);

    private void Count(int bytes)
    {
        _unreadBytes += bytes;
        _unreadMessages++;
        PeakUnreadBytes = Math.Max(PeakUnreadBytes, _unreadBytes);
    }

    private void Taken(int bytes)
    {
        TaskCompletionSource? room;
        lock (_gate)
        {
            _unreadBytes -= bytes;
            _unreadMessages--;
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }

    private List<(string Text, int Bytes)>? TakeEarly()
    {
        var early = _early;
        _early = null;
        if (early is not null)
        {
            _unreadBytes = 0;
            _unreadMessages = 0;
        }

        return early;
    }

    private void Run(Action<string> handler, string text)
    {
        try
        {
            handler(text);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stream {Route}: a message handler failed; the stream stays open", route);
        }
    }
}
