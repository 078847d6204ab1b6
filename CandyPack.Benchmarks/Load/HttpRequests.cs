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
}
