using System.Text.Json;
using CandyPack.Client;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace CandyPack.Dashboard;

/// <summary>
/// The dashboard: the page at <c>/_candy/</c>, its scripts and styles (uPlot included) at <c>/_candy/dashboard/</c>,
/// and the figures it polls at <c>/_candy/dashboard/data</c>: the meter's totals, every site's channels and routes.
/// </summary>
internal static class DashboardEndpoint
{
    public const string Path = "/_candy/";
    public const string AssetsPath = "/_candy/dashboard";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether the dashboard is served: on in Development unless turned off; in Production only when enabled with a policy.</summary>
    public static bool IsEnabled(DashboardOptions options, bool development)
    {
        if (development)
        {
            return options.Enabled ?? true;
        }

        if (options.Enabled == true && string.IsNullOrWhiteSpace(options.Policy))
        {
            throw new CandyStartupException(
                "dashboard.enabled is true in Production, but dashboard.policy is not set: name the authorization policy that guards /_candy/, or leave the dashboard off.");
        }

        return options.Enabled == true;
    }

    public static void AddServices(IServiceCollection services, DashboardOptions options)
    {
        services.AddSingleton<DashboardMeter>();
        if (!string.IsNullOrWhiteSpace(options.Policy))
        {
            services.AddAuthorization();
        }
    }

    /// <summary>Static assets; goes before routing. The page and its data are endpoints (<see cref="MapEndpoints"/>).</summary>
    public static void UseAssets(IApplicationBuilder app) =>
        app.UseStaticFiles(ClientScripts.Options(Files, AssetsPath, "no-cache"));

    public static void MapEndpoints(IEndpointRouteBuilder endpoints, DashboardOptions options)
    {
        var meter = endpoints.ServiceProvider.GetRequiredService<DashboardMeter>();
        var registry = endpoints.ServiceProvider.GetRequiredService<SiteRegistry>();
        var page = endpoints.MapGet(Path, async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            await using var html = Files.GetFileInfo("index.html").CreateReadStream();
            await html.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        var data = endpoints.MapGet(AssetsPath + "/data", context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsJsonAsync(Snapshot(meter, registry), Json, context.RequestAborted);
        });
        if (!string.IsNullOrWhiteSpace(options.Policy))
        {
            var policies = endpoints.ServiceProvider.GetRequiredService<IAuthorizationPolicyProvider>();
            if (policies.GetPolicyAsync(options.Policy).GetAwaiter().GetResult() is null)
            {
                throw new CandyStartupException(
                    $"dashboard.policy is \"{options.Policy}\", but the host registers no authorization policy of that name (AddAuthorization(o => o.AddPolicy(...))).");
            }

            page.RequireAuthorization(options.Policy);
            data.RequireAuthorization(options.Policy);
        }
    }

    internal static object Snapshot(DashboardMeter meter, SiteRegistry registry) => new
    {
        totals = meter.Read(),
        sites = registry.Sites.Select(site => new
        {
            name = site.Name,
            channels = site.Channels.Snapshot().OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new { name = c.Name, subscribers = c.Subscribers, history = c.History }),
            routes = site.Routes.Select(r => new { method = r.Method, pattern = r.Pattern, target = r.Target, subdomain = r.Subdomain }),
        }),
    };

    private static readonly EmbeddedFileProvider Files = new(typeof(DashboardEndpoint).Assembly, "CandyPack.Dashboard");
}
