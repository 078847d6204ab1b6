namespace CandyPack;

/// <summary>The route that matched the current request.</summary>
public sealed class RouteInfo
{
    internal RouteInfo(string method, string pattern, string? target, string subdomain, string routeFile)
    {
        Method = method;
        Pattern = pattern;
        Target = target;
        Subdomain = subdomain;
        RouteFile = routeFile;
    }

    /// <summary>The HTTP method the route was mapped for, such as <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>The path pattern, such as <c>/users/{id}</c>.</summary>
    public string Pattern { get; }

    /// <summary>The controller target such as <c>"hello"</c>, or <see langword="null"/> for an inline handler.</summary>
    public string? Target { get; }

    /// <summary>The subdomain whose route file mapped the route; <c>www</c> for the default host.</summary>
    public string Subdomain { get; }

    /// <summary>The route file that mapped the route, such as <c>route/www.cs</c>.</summary>
    public string RouteFile { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Pattern} -> {Target ?? "(inline)"}";
}
