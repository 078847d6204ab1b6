using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace CandyPack.Hosting;

/// <summary>
/// Keeps only the candidate endpoints of the site and subdomain the request's Host header selects, so two
/// sites may map the same path. Endpoints without site metadata (such as routing's own 405) are left alone.
/// </summary>
internal sealed class SiteMatcherPolicy(SiteRegistry registry) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<SiteRouteMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var (site, subdomain) = registry.Resolve(httpContext.Request.Host);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var metadata = candidates[i].Endpoint.Metadata.GetMetadata<SiteRouteMetadata>();
            if (metadata is not null && (!ReferenceEquals(metadata.Site, site) || metadata.Subdomain != subdomain))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
