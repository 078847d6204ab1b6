using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Hosting;

/// <summary>
/// What a route's endpoint keeps of its request until the request ends, held in the request's <see cref="Candy"/> so
/// that a stream's request keeps no object of its own for it.
/// </summary>
internal struct RouteRequestState
{
    /// <summary>The site's service scope of the request, when its controller or authentication needed one.</summary>
    public AsyncServiceScope? Scope;

    /// <summary>The host's request services, while the site's scope stands in for them.</summary>
    public IServiceProvider? HostServices;

    /// <summary>When the request started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public long Started;

    /// <summary>A handler that outlived the request timeout, released once it finishes.</summary>
    public Task<object?>? Abandoned;
}
