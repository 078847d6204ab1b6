using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Streaming;

/// <summary>
/// <c>stream.compression</c>: ASP.NET Core's response compression, for the event streams of the sites that turn it
/// on and for nothing else. It negotiates <c>Accept-Encoding</c> (Brotli before gzip), sets <c>Content-Encoding</c> and
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
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });

        // Events are small and flushed often: the fastest levels cost least CPU per event and still shrink JSON well.
        services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = CompressionLevel.Fastest);
    }

    /// <summary>After routing: requests to a route of a site with <c>stream.compression</c> on go through the compression middleware.</summary>
    public static void Use(IApplicationBuilder app) =>
        app.UseWhen(Enabled, branch => branch.UseResponseCompression());

    private static bool Enabled(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Hosting.SiteRouteMetadata>()?.Site.Options.Stream.Compression == true;
}
