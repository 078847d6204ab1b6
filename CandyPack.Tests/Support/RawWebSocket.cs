using System.Net.Sockets;
using System.Text;

namespace CandyPack.Tests.Support;

/// <summary>
/// A WebSocket client that does the opening handshake over a plain socket and then never reads again: it answers no
/// ping and drains nothing, as a client whose network or process froze.
/// </summary>
internal static class RawWebSocket
{
    public static async Task<Socket> OpenAndFreezeAsync(Uri server, string path, int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        await socket.ConnectAsync(server.Host, server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));

        // Read the handshake answer byte by byte, so nothing after it is consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await socket.ReceiveAsync(one, deadline.Token) == 0)
            {
                throw new IOException($"The server closed the connection during the handshake: {head}");
            }

            head.Append((char)one[0]);
        }

        Assert.That(head.ToString(), Does.StartWith("HTTP/1.1 101"), "the upgrade was accepted");
        return socket;
    }
}
