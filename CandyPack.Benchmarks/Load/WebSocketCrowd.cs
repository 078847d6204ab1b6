using System.Net;
using System.Net.Sockets;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// Many open WebSockets to one server, opened a batch at a time and closed together. They share one
/// <see cref="SocketsHttpHandler"/>; every upgrade still gets a connection of its own.
/// </summary>
internal sealed class WebSocketCrowd : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    private WebSocketCrowd(WebSocketClient[] clients, HttpMessageInvoker invoker)
    {
        Clients = clients;
        _invoker = invoker;
    }

    public IReadOnlyList<WebSocketClient> Clients { get; }

    /// <summary>
    /// The handler every client of a crowd connects through. <paramref name="wireBytes"/>, when given, counts the bytes
    /// read from the sockets, as they came over the wire.
    /// </summary>
    public static HttpMessageInvoker Invoker(ByteCounter? wireBytes = null) => new(Handler(wireBytes));

    /// <summary>A handler for HTTP and WebSocket clients, counting the bytes read from its connections into <paramref name="wireBytes"/> if given.</summary>
    public static SocketsHttpHandler Handler(ByteCounter? wireBytes)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(30) };
        if (wireBytes is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new CountingStream(new NetworkStream(socket, ownsSocket: true), wireBytes);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }

    /// <summary>Opens <paramref name="count"/> WebSockets to <paramref name="server"/>'s <paramref name="path"/> and waits until each has had its first application message.</summary>
    public static async Task<WebSocketCrowd> OpenAsync(
        IPEndPoint server, string path, int count, WebSocketMessageHandler onMessage, TimeSpan timeout, byte[]? greeting = null)
    {
        var uri = new Uri($"ws://{server}{path}");
        var invoker = Invoker();
        try
        {
            return new WebSocketCrowd(
                await CrowdOpener.OpenAsync(
                    count,
                    (index, cancellationToken) => WebSocketClient.ConnectAsync(uri, invoker, index, onMessage, deflate: false, greeting, cancellationToken),
                    client => client.Opened,
                    timeout),
                invoker);
        }
        catch
        {
            invoker.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }

        _invoker.Dispose();
    }
}
