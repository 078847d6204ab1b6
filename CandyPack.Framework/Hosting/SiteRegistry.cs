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
                if (host.Equals(domain, StringComparison.OrdinalIgnoreCase))
                {
                    return (site, "www");
                }

                if (host.Length > domain.Length + 1 &&
                    host.EndsWith(domain, StringComparison.OrdinalIgnoreCase) &&
                    host[host.Length - domain.Length - 1] == '.')
                {
                    return (site, host[..(host.Length - domain.Length - 1)].ToLowerInvariant());
                }
            }
        }

        return (sites.Length > 0 ? sites[0] : null, "www");
    }
}
