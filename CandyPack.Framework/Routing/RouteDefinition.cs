namespace CandyPack.Routing;

/// <summary>One mapped route as a route file declared it, before its target is resolved.</summary>
internal sealed record RouteDefinition(
    string Method,
    string Pattern,
    string? Target,
    RouteHandler? Handler,
    string RouteFile,
    string Subdomain);
