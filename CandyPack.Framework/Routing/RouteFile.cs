namespace CandyPack;

/// <summary>
/// A route file: <c>route/www.cs</c> declares <c>class Www : RouteFile</c> and maps the routes of the
/// site's default host; <c>route/api.cs</c> declares <c>class Api</c> and maps those of
/// <c>api.&lt;domain&gt;</c>. The class name is the subdomain.
/// </summary>
/// <example>
/// <code>
/// public sealed class Www : RouteFile
/// {
///     protected override void Map()
///     {
///         Route.Get("/hello", "hello");
///         Route.Get("/hello/inline", candy => candy.Stream("Hello World"));
///     }
/// }
/// </code>
/// </example>
public abstract class RouteFile
{
    private Router? _route;

    /// <summary>The router this file maps its routes into.</summary>
    protected Router Route => _route ?? throw new InvalidOperationException("Route is only available while Map() runs.");

    /// <summary>Maps this file's routes with <see cref="Route"/>.</summary>
    protected abstract void Map();

    internal void MapInto(Router router)
    {
        _route = router;
        try
        {
            Map();
        }
        finally
        {
            _route = null;
        }
    }
}
