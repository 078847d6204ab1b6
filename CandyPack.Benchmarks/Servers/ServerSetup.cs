using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// What both servers share, so they differ only in the framework: two loopback endpoints on free ports (HTTP/1.1, and
/// cleartext HTTP/2 with prior knowledge), in that order; no Server header; quiet logs on stderr.
/// </summary>
internal static class ServerSetup
{
    /// <summary>The HTTP/1.1 endpoint, as a CandyPack listen URL.</summary>
    public const string Url = "http://127.0.0.1:0";

    /// <summary>The h2c endpoint, as a CandyPack listen URL.</summary>
    public const string H2cUrl = "h2c://127.0.0.1:0";

    public static void Configure(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // Stdout carries the control protocol; logs go to stderr, and only warnings, so logging costs neither side.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
    }

    /// <summary>The plain ASP.NET Core server's endpoints, the same two CandyPack gets from <see cref="Url"/> and <see cref="H2cUrl"/>.</summary>
    public static void Listen(KestrelServerOptions kestrel)
    {
        kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
    }
}
