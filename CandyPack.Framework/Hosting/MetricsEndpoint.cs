using System.Diagnostics.Metrics;
using CandyPack.Hosting.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Hosting;

/// <summary>
/// <c>/_candy/metrics</c> in the Prometheus text format: the <c>CandyPack</c> meter with ASP.NET Core's and Kestrel's
/// own meters, collected from System.Diagnostics.Metrics by <see cref="PrometheusExporter"/>.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/_candy/metrics";

    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The meters exported: ours, ASP.NET Core's request metrics and Kestrel's connection metrics.</summary>
    public static readonly string[] Meters = [CandyMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <param name="services">The host's services.</param>
    /// <param name="serviceName">The first site's name, the scrape's <c>service_name</c>.</param>
    public static void AddServices(IServiceCollection services, string serviceName) =>
        services.AddSingleton(provider => new PrometheusExporter(Meters, provider.GetService<IMeterFactory>(), serviceName));

    /// <summary>Answers GET and HEAD of <see cref="Path"/>; the exporter is created here, so it counts from startup on.</summary>
    public static void Map(IApplicationBuilder app)
    {
        var exporter = app.ApplicationServices.GetRequiredService<PrometheusExporter>();
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (!request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase) || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                return next(context);
            }

            var response = context.Response;
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-store";
            return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.WriteAsync(exporter.Scrape(), context.RequestAborted);
        });
    }
}
