using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// The short block the host logs once it listens, after the route tables: the URL to open, each site's database and
/// Redis, the environment, and where the dashboard and metrics are.
/// </summary>
internal static class StartupSummary
{
    public static IReadOnlyList<string> Lines(IServiceProvider services, string environment, bool dashboard, bool metrics)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.Select(a => a.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal))
            .FirstOrDefault() ?? "(no address)";
        var root = url.TrimEnd('/');
        var lines = new List<string> { $"Open {root}/ ({environment})" };
        foreach (var site in services.GetRequiredService<SiteRegistry>().Sites)
        {
            var database = site.Services.GetService<Data.DatabaseRegistry>()?.Default.Provider.Location ?? "none";
            // Only the first endpoint of the Redis configuration: the rest may hold a password.
            var redis = site.Channels.RedisConfiguration is { } configured ? "on (" + configured.Split(',')[0].Trim() + ")" : "off";
            lines.Add($"  {site.Name}: database {database}; redis {redis}");
        }

        lines.Add($"  dashboard {(dashboard ? root + Dashboard.DashboardEndpoint.Path : "off (\"dashboard\": { \"enabled\": true } in config.json)")}");
        lines.Add($"  metrics   {(metrics ? root + MetricsEndpoint.Path : "off (\"metrics\": { \"enabled\": true } in config.json)")}");
        return lines;
    }

    public static void Log(ILogger logger, IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            logger.LogInformation("{Line}", line);
        }
    }
}
