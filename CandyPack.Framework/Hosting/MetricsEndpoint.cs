using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace CandyPack.Hosting;

/// <summary>
/// <c>/_candy/metrics</c> in the Prometheus text format, through OpenTelemetry's Prometheus exporter: the
/// <c>CandyPack</c> meter with ASP.NET Core's and Kestrel's own meters.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/_candy/metrics";

    /// <summary>The meters exported: ours, ASP.NET Core's request metrics and Kestrel's connection metrics.</summary>
    public static readonly string[] Meters = [CandyMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static void AddServices(IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());

    public static void Map(IApplicationBuilder app) => app.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
}
