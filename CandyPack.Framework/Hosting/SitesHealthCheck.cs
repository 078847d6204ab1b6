using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CandyPack.Hosting;

/// <summary>Ready once every site is loaded and each site's own readiness checks (such as its database) pass.</summary>
internal sealed class SitesHealthCheck(SiteRegistry registry) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var sites = registry.Sites;
        if (sites.Count == 0)
        {
            return HealthCheckResult.Unhealthy("No site is loaded yet.");
        }

        var data = new Dictionary<string, object>();
        foreach (var site in sites)
        {
            data[site.Name] = site.Streams.Count;
            foreach (var check in site.ReadinessChecks)
            {
                var result = await check(cancellationToken);
                if (result is not null)
                {
                    return HealthCheckResult.Unhealthy($"{site.Name}: {result}", data: data);
                }
            }
        }

        return HealthCheckResult.Healthy($"{sites.Count} site(s) loaded", data);
    }
}
