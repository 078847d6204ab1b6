using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// One WebSocket client: the runtime's <see cref="ClientWebSocket"/> over a shared handler, and a receive loop that
/// hands each whole text message to a <see cref="WebSocketMessageHandler"/>. Server pings are answered by the runtime.
/// </summary>
internal sealed class WebSocketClient : IDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly WebSocketMessageHandler _onMessage;
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _disposed;

    private WebSocketClient(ClientWebSocket socket, int index, WebSocketMessageHandler onMessage)
    {
        _socket = socket;
        Index = index;
        _onMessage = onMessage;
    }

    /// <summary>The client's position in its crowd, for results kept in arrays.</summary>
    public int Index { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp of the receive that completed the message being handled.</summary>
    public long ReceivedAt { get; private set; }

    /// <summary>Completes at the first application message (the handler says which messages are).</summary>
    public Task Opened => _opened.Task;

    /// <summary>Completes when the server closes, the connection drops or the client is disposed; it never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>The close status the server sent, if it closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>The extensions the server agreed to (<c>permessage-deflate</c> when it compresses), from the 101 response.</summary>
    public string? Extensions { get; private set; }

    /// <summary>What ended the connection early, if anything did.</summary>
    public Exception? Error { get; private set; }

    /// <summary>
    /// Connects to <paramref name="uri"/> (ws://), sends <paramref name="greeting"/> as a text message if given (the
    /// SignalR handshake), and starts receiving. A refused upgrade throws <see cref="InvalidOperationException"/> with
    /// the status the server answered.
    /// </summary>
    public static async Task<WebSocketClient> ConnectAsync(
        Uri uri, HttpMessageInvoker invoker, int index, WebSocketMessageHandler onMessage, bool deflate, byte[]? greeting, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetBuffer(4096, 1024);
        if (deflate)
        {
            socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        }

        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken);
            if (greeting is not null)
            {
                await socket.SendAsync(greeting, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (WebSocketException e) when (socket.HttpStatusCode != HttpStatusCode.SwitchingProtocols && socket.HttpStatusCode != 0)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new InvalidOperationException($"{uri} answered the WebSocket upgrade with {(int)status} {status} instead of 101: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new WebSocketClient(socket, index, onMessage)
        {
            Extensions = socket.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true ? string.Join(", ", values) : null,
        };
        socket.HttpResponseHeaders = null;
        client.Completion = client.ReceiveAsync();
        return client;
    }

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the server's close, as a browser does, so the server's close handshake completes.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }

                length += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                ReceivedAt = Stopwatch.GetTimestamp();
                if (_onMessage(this, buffer.AsSpan(0, length)))
                {
                    _opened.TrySetResult();
                }

                length = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            if (!_disposed)
            {
                Error = e;
            }
        }
        finally
        {
            _opened.TrySetException(new IOException(
                $"The WebSocket closed before its first message (close status {_socket.CloseStatus?.ToString() ?? "none"}{(Error is null ? string.Empty : ", " + Error.Message)})."));
        }
    }
}
