using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The messages a client sends on a stream that can receive (a WebSocket): each goes to every <c>On("message")</c>
/// handler and to the reader of <see cref="CandyStream.ReadMessagesAsync"/>. Messages that arrive before anyone
/// listens are held (up to <c>stream.queue</c>) and handed to the first listener, so a client that speaks first loses
/// nothing.
/// </summary>
internal sealed class StreamInbox(RouteInfo route, int capacity, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Channel<string> _reader = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity)
    {
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private List<Action<string>>? _handlers;
    private List<string>? _early = [];
    private bool _reading;

    public void Add(Action<string> handler)
    {
        List<string>? early;
        lock (_gate)
        {
            (_handlers ??= []).Add(handler);
            early = TakeEarly();
        }

        foreach (var text in early ?? [])
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
            foreach (var text in TakeEarly() ?? [])
            {
                // The channel is empty and as large as the early list may grow.
                _reader.Writer.TryWrite(text);
            }
        }

        await foreach (var text in _reader.Reader.ReadAllAsync(cancellationToken))
        {
            yield return text;
        }
    }

    /// <summary>Hands a received message on; waits while the reader is <c>stream.queue</c> messages behind, so the client's sends slow down.</summary>
    public async ValueTask DeliverAsync(string text, CancellationToken cancellationToken)
    {
        Action<string>[] handlers;
        bool reading;
        lock (_gate)
        {
            if (_early is not null)
            {
                if (_early.Count >= capacity)
                {
                    logger.LogWarning("Stream {Route}: {Capacity} client messages arrived before the handler listened; this one was dropped (stream.queue in config.json)", route, capacity);
                    return;
                }

                _early.Add(text);
                return;
            }

            handlers = _handlers is null ? [] : [.. _handlers];
            reading = _reading;
        }

        foreach (var handler in handlers)
        {
            Run(handler, text);
        }

        if (reading)
        {
            await _reader.Writer.WriteAsync(text, cancellationToken);
        }
    }

    /// <summary>No more messages: the reader's loop ends.</summary>
    public void Complete() => _reader.Writer.TryComplete();

    private List<string>? TakeEarly()
    {
        var early = _early;
        _early = null;
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
