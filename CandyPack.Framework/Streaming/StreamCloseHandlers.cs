using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// What a stream runs when it closes: the <c>On("close")</c> handlers, each exactly once, and the cancellation token
/// its producers watch. A handler added after the close runs at once; a failing one is logged and the rest still run.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source has no timer; it is cancelled on close and needs no disposal.")]
internal sealed class StreamCloseHandlers(RouteInfo route, ILogger logger)
{
    private List<Action>? _handlers;
    private CancellationTokenSource? _cancellation;
    private bool _closed;

    public CancellationToken Token
    {
        get
        {
            lock (this)
            {
                if (_cancellation is null)
                {
                    _cancellation = new CancellationTokenSource();
                    if (_closed)
                    {
                        _cancellation.Cancel();
                    }
                }

                return _cancellation.Token;
            }
        }
    }

    public void Add(Action handler)
    {
        lock (this)
        {
            if (!_closed)
            {
                (_handlers ??= []).Add(handler);
                return;
            }
        }

        Run(handler);
    }

    public void Remove(Action handler)
    {
        lock (this)
        {
            _handlers?.Remove(handler);
        }
    }

    /// <summary>Tells the producers to stop (the stream is closing, or cut).</summary>
    public void CancelProducers()
    {
        CancellationTokenSource? cancellation;
        lock (this)
        {
            cancellation = _cancellation;
        }

        try
        {
            cancellation?.Cancel();
        }
        catch (AggregateException e)
        {
            logger.LogError(e, "Stream {Route}: a cancellation callback failed", route);
        }
    }

    /// <summary>The stream has closed: cancels the token and runs every handler once.</summary>
    public void Close()
    {
        List<Action>? handlers;
        lock (this)
        {
            _closed = true;
            handlers = _handlers;
            _handlers = null;
        }

        CancelProducers();
        foreach (var handler in handlers ?? [])
        {
            Run(handler);
        }
    }

    private void Run(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stream {Route}: a close handler failed", route);
        }
    }
}
