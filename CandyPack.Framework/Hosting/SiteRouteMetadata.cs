namespace CandyPack.Hosting;

/// <summary>Endpoint metadata: which site and subdomain a route belongs to, for dispatch by Host header.</summary>
internal sealed record SiteRouteMetadata(SiteRuntime Site, string Subdomain, RouteInfo Route);
