using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CandyPack.Hosting;

/// <summary>
/// Turns listen URLs into Kestrel endpoints. <c>http://</c> serves HTTP/1.1 (and HTTP/2 where TLS negotiates it);
/// <c>https://</c> serves HTTP/1.1 and HTTP/2 over TLS with the configured certificate;
/// <c>h2c://</c> serves cleartext HTTP/2 with prior knowledge, which Kestrel only offers on an HTTP/2-only endpoint.
/// </summary>
internal static class ListenEndpoints
{
    public static void Configure(KestrelServerOptions kestrel, IEnumerable<string> urls, X509Certificate2? certificate)
    {
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ||
                uri.Scheme is not ("http" or "https" or "h2c"))
            {
                throw new CandyStartupException($"Listen URL '{url}' is not of the form http://host:port, https://host:port or h2c://host:port.");
            }

            if (uri.Scheme == "https" && certificate is null)
            {
                throw new CandyStartupException($"Listen URL '{url}' is HTTPS, but no certificate is configured.");
            }

            var protocols = uri.Scheme == "h2c" ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2;
            void Endpoint(ListenOptions listen)
            {
                listen.Protocols = protocols;
                if (uri.Scheme == "https")
                {
                    listen.UseHttps(certificate!);
                }
            }

            if (uri.Host is "localhost")
            {
                kestrel.ListenLocalhost(uri.Port, Endpoint);
            }
            else if (IPAddress.TryParse(uri.Host, out var address))
            {
                kestrel.Listen(address, uri.Port, Endpoint);
            }
            else
            {
                throw new CandyStartupException($"Listen URL '{url}': the host must be an IP address or localhost.");
            }
        }
    }
}
