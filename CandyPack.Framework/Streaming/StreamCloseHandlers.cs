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

    /// <summary>
    /// Tells the producers to stop (the stream is closing, or cut), on the thread pool: whoever ends a stream early may be
    /// delivering to many (a publisher cutting a slow consumer, a channel's fan-out), and the token's callbacks are the
    /// application's cleanups, which may block.
    /// </summary>
    public void CancelProducers()
    {
        CancellationTokenSource? cancellation;
        lock (this)
        {
            cancellation = _cancellation;
        }

        if (cancellation is { IsCancellationRequested: false })
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Handlers.Cancel(s.Cancellation), (Handlers: this, Cancellation: cancellation), preferLocal: false);
        }
    }

    /// <summary>
    /// The stream has closed: cancels the token and runs every handler once. Called by the stream's writer on the thread
    /// pool (or by a request whose stream never started), never by a thread delivering to other streams.
    /// </summary>
    public void Close()
    {
        List<Action>? handlers;
        CancellationTokenSource? cancellation;
        lock (this)
        {
            _closed = true;
            handlers = _handlers;
            _handlers = null;
            cancellation = _cancellation;
        }

        if (cancellation is not null)
        {
            Cancel(cancellation);
        }

        foreach (var handler in handlers ?? [])
        {
            Run(handler);
        }
    }

    private void Cancel(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stream {Route}: a cancellation callback failed", route);
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
