using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace CandyPack.Hosting;

/// <summary>
/// Splits routing's decision tree by the site and subdomain the request's Host header selects, before the HTTP method
/// is looked at, so two sites may map the same path and a method mapped by one never turns into a 405 (with its
/// <c>Allow</c> list) on another. Endpoints without site metadata (such as health) belong to every site.
/// </summary>
internal sealed class SiteMatcherPolicy(SiteRegistry registry) : MatcherPolicy, INodeBuilderPolicy
{
    // Routing's HttpMethodMatcherPolicy has order -1000; a lower order branches first, so each site's methods
    // (and the 405 routing builds from them) only ever see that site's endpoints.
    public override int Order => -1100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<SiteRouteMetadata>() is not null);

    public IReadOnlyList<PolicyNodeEdge> GetEdges(IReadOnlyList<Endpoint> endpoints)
    {
        var keys = new HashSet<SiteKey>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<SiteRouteMetadata>() is { } metadata)
            {
                keys.Add(new SiteKey(metadata.Site, metadata.Subdomain));
            }
        }

        var edges = new List<PolicyNodeEdge>(keys.Count + 1);
        foreach (var key in keys)
        {
            edges.Add(new PolicyNodeEdge(key, endpoints.Where(e => BelongsTo(e, key)).ToArray()));
        }

        var shared = endpoints.Where(e => e.Metadata.GetMetadata<SiteRouteMetadata>() is null).ToArray();
        if (shared.Length > 0)
        {
            edges.Add(new PolicyNodeEdge(SiteKey.None, shared));
        }

        return edges;
    }

    public PolicyJumpTable BuildJumpTable(int exitDestination, IReadOnlyList<PolicyJumpTableEdge> edges)
    {
        var destinations = new Dictionary<SiteKey, int>();
        var otherSites = exitDestination;
        foreach (var edge in edges)
        {
            var key = (SiteKey)edge.State;
            if (key == SiteKey.None)
            {
                otherSites = edge.Destination;
            }
            else
            {
                destinations[key] = edge.Destination;
            }
        }

        return new SiteJumpTable(registry, destinations, otherSites);
    }

    private static bool BelongsTo(Endpoint endpoint, SiteKey key) =>
        endpoint.Metadata.GetMetadata<SiteRouteMetadata>() is not { } metadata ||
        (ReferenceEquals(metadata.Site, key.Site) && metadata.Subdomain == key.Subdomain);

    /// <summary>A site and subdomain; <see cref="None"/> stands for every host whose site maps nothing at this node.</summary>
    private readonly record struct SiteKey(SiteRuntime? Site, string Subdomain)
    {
        public static readonly SiteKey None = new(null, string.Empty);
    }

    private sealed class SiteJumpTable(SiteRegistry registry, Dictionary<SiteKey, int> destinations, int otherSites) : PolicyJumpTable
    {
        public override int GetDestination(HttpContext httpContext)
        {
            var (site, subdomain) = registry.Resolve(httpContext.Request.Host);
            return destinations.TryGetValue(new SiteKey(site, subdomain), out var destination) ? destination : otherSites;
        }
    }
}
