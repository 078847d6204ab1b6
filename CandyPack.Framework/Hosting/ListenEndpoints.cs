using System.Net;
using System.Net.Quic;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Turns listen URLs into Kestrel endpoints. <c>http://</c> serves HTTP/1.1 (cleartext HTTP/2 cannot be negotiated); <c>https://</c> serves HTTP/1.1 and
/// HTTP/2 over TLS (and HTTP/3 where QUIC is available); <c>h2c://</c> serves cleartext HTTP/2 with prior knowledge,
/// which Kestrel only offers on an HTTP/2-only endpoint.
/// </summary>
internal static class ListenEndpoints
{
    public static void Configure(KestrelServerOptions kestrel, IEnumerable<string> urls, Func<X509Certificate2> certificate, bool http3, ILogger logger)
    {
        var quicReported = false;
        foreach (var url in urls)
        {
            var uri = Parse(url);
            var protocols = uri.Scheme switch
            {
                "h2c" => HttpProtocols.Http2,
                "https" when http3 && QuicAvailable(logger, ref quicReported) => HttpProtocols.Http1AndHttp2AndHttp3,
                "https" => HttpProtocols.Http1AndHttp2,
                _ => HttpProtocols.Http1,
            };

            void Endpoint(ListenOptions listen)
            {
                listen.Protocols = protocols;
                if (uri.Scheme == "https")
                {
                    listen.UseHttps(certificate());
                }
            }

            if (uri.Host is "localhost")
            {
                kestrel.ListenLocalhost(uri.Port, Endpoint);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(uri.Host), uri.Port, Endpoint);
            }
        }
    }

    public static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static Uri Parse(string url)
    {
        var normalised = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "h2c"))
        {
            throw new CandyStartupException($"Listen URL '{url}' is not of the form http://host:port, https://host:port or h2c://host:port.");
        }

        if (uri.Host != "localhost" && !IPAddress.TryParse(uri.Host, out _))
        {
            throw new CandyStartupException($"Listen URL '{url}': the host must be an IP address (0.0.0.0 for all) or localhost.");
        }

        return uri;
    }

    private static bool QuicAvailable(ILogger logger, ref bool reported)
    {
        var available = (OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) && QuicListener.IsSupported;
        if (!available && !reported)
        {
            reported = true;
            logger.LogInformation("HTTP/3 is off: this platform's QUIC library (libmsquic) is not available; HTTPS serves HTTP/1.1 and HTTP/2");
        }

        return available;
    }
}
