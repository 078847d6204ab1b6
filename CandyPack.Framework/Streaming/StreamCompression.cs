using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Streaming;

/// <summary>
/// <c>stream.compression</c>: ASP.NET Core's response compression, for the event streams of the sites that turn it
/// on and for nothing else. It negotiates <c>Accept-Encoding</c> (gzip before Brotli when both are equally welcome), sets <c>Content-Encoding</c> and
/// <c>Vary</c>, and finishes the compressed body when the stream ends; <see cref="SseTransport"/> flushes it after
/// every batch.
/// </summary>
internal static class StreamCompression
{
    public const string EventStream = "text/event-stream";

    public static void AddServices(IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.MimeTypes = [EventStream];
            // A site opts in for its streams; over HTTPS it then accepts what compression means for secrets in events
            // next to attacker-chosen text (BREACH), as the README says.
            options.EnableForHttps = true;
            // Events are mostly flushed one at a time. gzip at its fastest level then still halves small JSON events;
            // Brotli at its fastest saves nothing per flushed event, and at the default level (quality 4) about what gzip
            // does for several times the CPU on batched events (the benchmark's compression rows). So gzip wins a tie.
            options.Providers.Add<GzipCompressionProvider>();
            options.Providers.Add<BrotliCompressionProvider>();
        });

        services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = CompressionLevel.Fastest);
        services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = CompressionLevel.Optimal);
    }

    /// <summary>After routing: requests to a route of a site with <c>stream.compression</c> on go through the compression middleware.</summary>
    public static void Use(IApplicationBuilder app) =>
        app.UseWhen(Enabled, branch => branch.UseResponseCompression());

    /// <summary>A WebSocket upgrade is left alone: its frames are compressed by permessage-deflate (<c>websocket.compression</c>), if at all.</summary>
    private static bool Enabled(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Hosting.SiteRouteMetadata>()?.Site.Options.Stream.Compression == true
        && !WebSocketBatching.IsWebSocketRequest(context);
}
