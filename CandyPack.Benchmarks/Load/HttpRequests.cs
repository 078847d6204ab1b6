using System.Globalization;
using System.Net;
using System.Text;

namespace CandyPack.Benchmarks.Load;

/// <summary>The one request line and headers every raw client sends: a minimal HTTP/1.1 GET, kept alive.</summary>
internal static class HttpRequests
{
    public static byte[] Get(IPEndPoint server, string path, string accept) =>
        Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"GET {path} HTTP/1.1\r\nHost: {server}\r\nAccept: {accept}\r\n\r\n"));

    /// <summary>The GET an <c>EventSource</c> sends when it reconnects: with the id of the last event it received.</summary>
    public static byte[] Resume(IPEndPoint server, string path, string? lastEventId) =>
        lastEventId is null
            ? Get(server, path, "text/event-stream")
            : Encoding.UTF8.GetBytes(string.Create(
                CultureInfo.InvariantCulture,
                $"GET {path} HTTP/1.1\r\nHost: {server}\r\nAccept: text/event-stream\r\nLast-Event-ID: {lastEventId}\r\n\r\n"));
}
