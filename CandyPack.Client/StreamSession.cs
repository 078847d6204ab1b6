using System.Net.WebSockets;

namespace CandyPack.Client;

/// <summary>
/// One stream across its connections: opens one, reads its messages, and when it drops waits (the server's retry
/// hint, else the reconnect delay, doubled per failure in a row, plus up to half again at random) and opens the next,
/// resuming after the last id. The one place that decides whether a failure is retried. One reader at a time.
/// </summary>
internal sealed class StreamSession : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CandyClient _client;
    private readonly CandyClientOptions _options;
    private readonly CandyListenOptions _listen;
    private readonly CandyTransport _transport;
    private readonly Uri _url;
    private readonly CancellationTokenSource _lifetime;
    private IStreamConnection? _connection;
    private CandyTransport? _connected;
    private TimeSpan? _retryHint;
    private int _failures;
    private bool _probing;
    private bool _ended;
    private bool _disposed;

    public StreamSession(CandyClient client, HttpClient http, CandyClientOptions options, string path, CandyListenOptions? listen, CandyTransport transport, CancellationToken cancellationToken)
    {
        _client = client;
        _http = http;
        _options = options;
        _listen = listen ?? new CandyListenOptions();
        _transport = transport;
        _url = StreamUrl.Resolve(http, path);
        LastEventId = _listen.LastEventId;
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>The id of the last message received (or the one the stream started from); the next connection resumes after it.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>The transport of the open connection; <see langword="null"/> while connecting.</summary>
    public CandyTransport? Transport => Volatile.Read(ref _connection) is null ? null : _connected;

    /// <summary>Opens the first connection, or the next after a drop.</summary>
    /// <exception cref="CandyClientException">The stream cannot go on (refused, or a drop with reconnects off).</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var stop = linked.Token;
        while (true)
        {
            string? token;
            try
            {
                token = _listen.Token is null ? null : await _listen.Token(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !stop.IsCancellationRequested)
            {
                await WaitBeforeRetryAsync(new CandyClientException($"{_url.AbsolutePath}: the token provider failed: {e.Message}", e), stop).ConfigureAwait(false);
                continue;
            }

            var kind = Choose();
            try
            {
                var url = StreamUrl.With(_url, "token", token);
                IStreamConnection connection = kind == CandyTransport.WebSocket
                    ? await WebSocketConnection.OpenAsync(_http, StreamUrl.With(url, "lastEventId", LastEventId), stop).ConfigureAwait(false)
                    : await SseConnection.OpenAsync(_http, url, LastEventId, _lifetime.Token, stop).ConfigureAwait(false);
                _connected = kind;
                Volatile.Write(ref _connection, connection);
            }
            catch (Exception e) when (_transport == CandyTransport.Auto && kind == CandyTransport.WebSocket && !stop.IsCancellationRequested)
            {
                // Auto: a WebSocket that does not open is tried over SSE at once (asking for a fresh token, as every
                // connection does); only if SSE fails too is the server away. The failure of either is reported.
                _options.OnRetry?.Invoke(e);
                _probing = true;
                continue;
            }
            catch (Exception e) when (IsTransient(e, stop))
            {
                _probing = false;
                await WaitBeforeRetryAsync(e, stop).ConfigureAwait(false);
                continue;
            }

            _failures = 0;
            if (_probing)
            {
                // WebSocket failed where SSE works: a proxy or the site does not carry WebSocket. Stay on SSE.
                _probing = false;
                _client.SseOnly = true;
            }

            return;
        }
    }

    /// <summary>The next message, reconnecting as often as needed; <see langword="null"/> once the server sent <c>end</c>.</summary>
    public async Task<WireFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var stop = linked.Token;
        while (!_ended)
        {
            if (_connection is null)
            {
                await ConnectAsync(stop).ConfigureAwait(false);
            }

            var connection = _connection!;
            Exception? failure = null;
            WireFrame? frame;
            try
            {
                frame = await connection.ReadAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, stop))
            {
                frame = null;
                failure = e;
            }

            if (frame is { } message)
            {
                if (message.Id is not null)
                {
                    LastEventId = message.Id;
                }

                if (message.Event == WireEvents.End)
                {
                    _ended = true;
                    await CloseAsync().ConfigureAwait(false);
                    return null;
                }

                return message;
            }

            _retryHint = connection.RetryHint ?? _retryHint;
            await DropAsync().ConfigureAwait(false);
            await WaitBeforeRetryAsync(failure ?? new IOException($"{_url.AbsolutePath}: the server closed the stream without end"), stop).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Sends over the open WebSocket; <see langword="false"/> while reconnecting.</summary>
    public ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Volatile.Read(ref _connection) is { } connection && _connected == CandyTransport.WebSocket
            ? connection.SendAsync(text, cancellationToken)
            : ValueTask.FromResult(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ended = true;
        await CloseAsync().ConfigureAwait(false);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    private static bool IsTransient(Exception e, CancellationToken stop) =>
        !stop.IsCancellationRequested && e is HttpRequestException or IOException or WebSocketException or OperationCanceledException or TimeoutException;

    private CandyTransport Choose() =>
        _transport != CandyTransport.Auto ? _transport
        : _probing || _client.SseOnly ? CandyTransport.Sse
        : CandyTransport.WebSocket;

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.CloseAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task DropAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitBeforeRetryAsync(Exception failure, CancellationToken stop)
    {
        if (!_options.AutoReconnect)
        {
            throw new CandyClientException($"{_url.AbsolutePath}: the stream failed and AutoReconnect is off: {failure.Message}", failure);
        }

        _options.OnRetry?.Invoke(failure);
        _failures++;
        await Task.Delay(Delay(), _options.TimeProvider, stop).ConfigureAwait(false);
    }

    private TimeSpan Delay()
    {
        var first = (_retryHint ?? _options.ReconnectDelay).TotalMilliseconds;
        var wait = Math.Max(first, Math.Min(_options.MaxReconnectDelay.TotalMilliseconds, first * Math.Pow(2, Math.Min(_failures - 1, 20))));
        return TimeSpan.FromMilliseconds(Math.Min(wait * (1 + (Random.Shared.NextDouble() / 2)), int.MaxValue));
    }
}
