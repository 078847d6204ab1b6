using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CandyPack.Client;

/// <summary>
/// A stream over WebSocket: one JSON text frame per message, <c>{"data", "event", "id"}</c>, or <c>{"retry": ms}</c>.
/// Opened through the user's <see cref="HttpClient"/>, so its handlers and default headers (authorization) apply to
/// the upgrade request too. No <c>Origin</c> is sent: the server lets an upgrade without one through, as it comes from
/// a client that is not a browser.
/// </summary>
internal sealed class WebSocketConnection : IStreamConnection
{
    private readonly ClientWebSocket _socket;
    private readonly string _path;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ArrayBufferWriter<byte> _frame = new(4096);

    private WebSocketConnection(ClientWebSocket socket, string path)
    {
        _socket = socket;
        _path = path;
    }

    public TimeSpan? RetryHint { get; private set; }

    /// <exception cref="CandyClientException">The server refused the upgrade with a 4xx.</exception>
    /// <exception cref="WebSocketException">It could not be reached or failed: worth another try.</exception>
    public static async Task<WebSocketConnection> OpenAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(StreamUrl.ToWebSocket(url), http, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e) when (StreamUrl.IsRefusal(socket.HttpStatusCode))
        {
            socket.Dispose();
            throw new CandyClientException($"{url.AbsolutePath} answered the WebSocket upgrade with {(int)socket.HttpStatusCode} {socket.HttpStatusCode}", socket.HttpStatusCode, null, e);
        }
        catch (WebSocketException e) when ((int)socket.HttpStatusCode is >= 200 and < 400)
        {
            // A route that answers a regular response answers the upgrade with it: asking again changes nothing.
            socket.Dispose();
            throw new CandyClientException($"{url.AbsolutePath} answered the WebSocket upgrade with {(int)socket.HttpStatusCode} {socket.HttpStatusCode}, not 101: is it a stream route?", socket.HttpStatusCode, null, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new WebSocketConnection(socket, url.AbsolutePath);
    }

    public async Task<WireFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            _frame.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(_frame.GetMemory(4096), cancellationToken).ConfigureAwait(false);
                _frame.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return Closed();
            }

            if (result.MessageType == WebSocketMessageType.Text && Parse(_frame.WrittenSpan) is { } frame)
            {
                return frame;
            }
        }
    }

    public async ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket.State != WebSocketState.Open)
            {
                return false;
            }

            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WebSocketException) when (_socket.State != WebSocketState.Open)
        {
            // The connection dropped under the send: the reading side sees the drop and reconnects; the caller is
            // told the message did not go, as it is while reconnecting.
            return false;
        }
        finally
        {
            _sending.Release();
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Leaving anyway: Dispose aborts the socket, which the server sees as the client gone.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _sending.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Closed without <c>end</c>: 1001 (host shutdown, a transient failure) and the like are drops to reconnect from;
    /// 1003, 1008 and 1009 say this client broke a rule (binary data, too much unread, a message too big), which a
    /// reconnect would only repeat.
    /// </summary>
    private WireFrame? Closed()
    {
        if (_socket.CloseStatus is WebSocketCloseStatus.InvalidMessageType or WebSocketCloseStatus.PolicyViolation or WebSocketCloseStatus.MessageTooBig)
        {
            throw new CandyClientException($"{_path}: the server closed the WebSocket with {(int)_socket.CloseStatus} ({_socket.CloseStatus}): {_socket.CloseStatusDescription}", null, _socket.CloseStatus);
        }

        return null;
    }

    private WireFrame? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new IOException($"{_path}: a WebSocket frame is not a JSON object: {Encoding.UTF8.GetString(json[..Math.Min(json.Length, 80)])}");
            }

            if (root.TryGetProperty("retry", out var retry) && retry.TryGetInt32(out var milliseconds) && milliseconds >= 0)
            {
                RetryHint = TimeSpan.FromMilliseconds(milliseconds);
            }

            var hasData = root.TryGetProperty("data", out var data);
            var hasEvent = root.TryGetProperty("event", out var name);
            if (!hasData && !hasEvent)
            {
                return null;
            }

            // A string travels as a JSON string: its value is the text SSE would carry, anything else its JSON.
            var text = !hasData ? string.Empty : data.ValueKind == JsonValueKind.String ? data.GetString()! : data.GetRawText();
            var id = root.TryGetProperty("id", out var idValue) ? idValue.GetString() : null;
            return new WireFrame(hasEvent ? name.GetString() ?? WireEvents.Message : WireEvents.Message, id, text);
        }
        catch (JsonException e)
        {
            // Not the framework's frame format: a drop, as candy.js treats it, rather than a guess.
            throw new IOException($"{_path}: a WebSocket frame is not JSON: {Encoding.UTF8.GetString(json[..Math.Min(json.Length, 80)])}", e);
        }
    }
}
