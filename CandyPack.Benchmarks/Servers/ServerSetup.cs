using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CandyPack.Benchmarks.Servers;

/// <summary>What both servers share, so they differ only in the framework: loopback, no Server header, quiet logs on stderr.</summary>
internal static class ServerSetup
{
    public const string Url = "http://127.0.0.1:0";

    public static void Configure(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        // Stdout carries the control protocol; logs go to stderr, and only warnings, so logging costs neither side.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
    }
}
