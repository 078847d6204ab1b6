using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CandyPack.Tests.Support;

/// <summary>
/// A loopback TCP forwarder in front of a real server. <see cref="Stop"/> closes the port and every open connection,
/// as a database that goes away would; <see cref="Start"/> opens the same port again. With
/// <see cref="RefuseUpgrades"/> it answers WebSocket upgrade requests with 403 itself, as proxies that do not carry
/// WebSockets do.
/// </summary>
internal sealed class TcpProxy(int targetPort) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public int Port { get; private set; }

    /// <summary>Answer a connection whose request asks to upgrade to WebSocket with 403, without passing it on.</summary>
    public bool RefuseUpgrades { get; set; }

    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _stop = new CancellationTokenSource();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public void Stop()
    {
        _stop?.Cancel();
        _listener?.Stop();
        foreach (var socket in _sockets.Keys)
        {
            try
            {
                // Reset rather than close politely: the client sees the connection drop mid-conversation.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
                // Its pump closed it a moment ago.
            }
        }

        _sockets.Clear();
        _stop?.Dispose();
        _stop = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _sockets[client] = 0;
            _sockets[upstream] = 0;
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, targetPort, stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                client.Close();
                upstream.Close();
                continue;
            }

            _ = RefuseUpgrades ? ForwardUnlessUpgradeAsync(client, upstream) : PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);

        }
    }

    /// <summary>Reads the request head; an upgrade to WebSocket gets 403 and both ends close, anything else is passed on.</summary>
    private static async Task ForwardUnlessUpgradeAsync(Socket client, Socket upstream)
    {
        var head = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (head.Count < 16 * 1024 && System.Text.Encoding.ASCII.GetString([.. head]).IndexOf("\r\n\r\n", StringComparison.Ordinal) < 0)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                head.AddRange(buffer.AsSpan(0, read));
            }

            if (System.Text.Encoding.ASCII.GetString([.. head]).Contains("upgrade: websocket", StringComparison.OrdinalIgnoreCase))
            {
                await client.SendAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
                client.Close();
                upstream.Close();
                return;
            }

            await upstream.SendAsync(head.ToArray(), SocketFlags.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            client.Close();
            upstream.Close();
            return;
        }

        await PumpAsync(client, upstream);
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The other side or Stop() closed the connection; closing both ends below is all there is to do.
        }

        from.Close();
        to.Close();
    }
}
