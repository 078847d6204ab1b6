using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CandyPack.Tests.Support;

/// <summary>
/// A real <see cref="ClientWebSocket"/> on a stream route, read in the background: each text frame is kept as a
/// <see cref="WebSocketFrame"/>, and the server's close status once it closes. Tests wait on what has arrived.
/// </summary>
internal sealed class WebSocketListener : IAsyncDisposable
{
    private readonly List<WebSocketFrame> _frames = [];
    private Task _pump = Task.CompletedTask;

    private WebSocketListener(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Completes when the server has closed the socket (or the connection dropped).</summary>
    public Task Completion => _pump;

    public WebSocketCloseStatus? CloseStatus => Socket.CloseStatus;

    public IReadOnlyList<WebSocketFrame> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>The <c>data</c> of every frame without an event name: a string as it is, anything else as JSON text.</summary>
    public List<string> Messages => [.. Frames.Where(f => f.Event is null && f.HasData).Select(f => f.DataText)];

    public static Uri Url(Uri server, string path) => new($"ws://{server.Authority}{path}");

    public static async Task<WebSocketListener> ConnectAsync(Uri server, string path, Action<ClientWebSocketOptions>? configure = null, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(Url(server, path), invoker, deadline.Token);
        var listener = new WebSocketListener(socket);
        listener._pump = listener.PumpAsync();
        return listener;
    }

    /// <summary>Connects, reads every frame until the server closes, and returns them.</summary>
    public static async Task<WebSocketListener> ReadAllAsync(Uri server, string path)
    {
        var listener = await ConnectAsync(server, path);
        Assert.That(await Task.WhenAny(listener.Completion, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(listener.Completion), $"{path} did not close; received {Describe(listener.Frames)}");
        await listener.Completion;
        return listener;
    }

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Waits until <paramref name="condition"/> holds for what has arrived; fails naming <paramref name="what"/> and what did arrive.</summary>
    public async Task<IReadOnlyList<WebSocketFrame>> WaitForAsync(Func<IReadOnlyList<WebSocketFrame>, bool> condition, string what, TimeSpan? deadline = null)
    {
        if (!await Eventually.TrueAsync(() => condition(Frames), deadline ?? TimeSpan.FromSeconds(30)))
        {
            Assert.Fail($"Timed out waiting for {what}; received: {Describe(Frames)}, close status {CloseStatus}");
        }

        return Frames;
    }

    public async Task<List<string>> WaitForMessagesAsync(int count, TimeSpan? deadline = null)
    {
        await WaitForAsync(_ => Messages.Count >= count, $"{count} messages", deadline);
        return Messages;
    }

    public static string Describe(IEnumerable<WebSocketFrame> frames) => "[" + string.Join(", ", frames.Select(f => f.Text)) + "]";

    public async ValueTask DisposeAsync()
    {
        Socket.Abort();
        await _pump;
        Socket.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the server's close, as a browser does.
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    var frame = new WebSocketFrame(result.MessageType, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                    lock (_frames)
                    {
                        _frames.Add(frame);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection dropped, or the test aborted it: what arrived is kept.
        }
    }
}

/// <summary>One message frame as the client received it, with the fields of the frame format read from its JSON.</summary>
internal sealed record WebSocketFrame(WebSocketMessageType Type, string Text)
{
    public JsonElement Root { get; } = JsonDocument.Parse(Text).RootElement;

    public bool HasData => Root.TryGetProperty("data", out _);

    public JsonElement Data => Root.GetProperty("data");

    /// <summary>The data as text: a JSON string's value, or any other JSON value as written.</summary>
    public string DataText => Data.ValueKind == JsonValueKind.String ? Data.GetString()! : Data.GetRawText();

    public string? Event => Root.TryGetProperty("event", out var e) ? e.GetString() : null;

    public string? Id => Root.TryGetProperty("id", out var i) ? i.GetString() : null;
}
