using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>
/// The sites a host serves, in load order, and the Host-header rule that picks one: a host equal to a site
/// domain (or <c>www.</c> + domain) is that site's <c>www</c> subdomain, <c>api.</c> + domain its <c>api</c>
/// subdomain; any other host goes to the first site's <c>www</c>.
/// </summary>
internal sealed class SiteRegistry
{
    private volatile SiteRuntime[] _sites = [];

    public IReadOnlyList<SiteRuntime> Sites => _sites;

    public void Set(IEnumerable<SiteRuntime> sites) => _sites = sites.ToArray();

    public void Replace(SiteRuntime old, SiteRuntime replacement) =>
        _sites = _sites.Select(s => ReferenceEquals(s, old) ? replacement : s).ToArray();

    public (SiteRuntime? Site, string Subdomain) Resolve(HostString hostString)
    {
        var sites = _sites;
        var host = hostString.Host;
        foreach (var site in sites)
        {
            foreach (var domain in site.Domains)
            {
                if (SubdomainOf(host, domain) is { } subdomain)
                {
                    return (site, subdomain);
                }
            }
        }

        return (sites.Length > 0 ? sites[0] : null, "www");
    }

    /// <summary>The subdomain <paramref name="host"/> names under <paramref name="domain"/> (<c>www</c> for the domain itself), or null when it is not under it.</summary>
    public static string? SubdomainOf(string host, string domain)
    {
        if (host.Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            return "www";
        }

        return host.Length > domain.Length + 1 &&
            host.EndsWith(domain, StringComparison.OrdinalIgnoreCase) &&
            host[host.Length - domain.Length - 1] == '.'
            ? host[..(host.Length - domain.Length - 1)].ToLowerInvariant()
            : null;
    }
}
