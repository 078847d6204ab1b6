using System.Net.Sockets;
using System.Text;

namespace CandyPack.Tests.Support;

/// <summary>
/// Sends a request exactly as written, over a plain socket: HttpClient normalises paths such as <c>/../x</c>,
/// which the traversal tests must send untouched.
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Head, string Body)> SendAsync(Uri server, string requestLine, string? extraHeaders = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var request = $"{requestLine}\r\nHost: {server.Host}\r\nConnection: close\r\n{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? response : response[..split];
        var body = split < 0 ? string.Empty : response[(split + 4)..];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, body);
    }

    /// <summary>Opens a connection, sends a GET, and leaves the socket for the caller (to read slowly, or drop it).</summary>
    public static async Task<Socket> OpenAsync(Uri server, string path, int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        await socket.ConnectAsync(server.Host, server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {server.Host}\r\nAccept: text/event-stream\r\n\r\n"));
        return socket;
    }
}
