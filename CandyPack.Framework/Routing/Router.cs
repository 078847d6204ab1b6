using CandyPack.Routing;

namespace CandyPack;

/// <summary>
/// The fluent router a <see cref="RouteFile"/> maps with. A route pairs an HTTP method and a path
/// pattern (ASP.NET Core route template syntax, so <c>"/users/{id}"</c> captures <c>id</c>) with either a
/// controller target or an inline handler.
/// </summary>
/// <remarks>
/// A target names a controller by its folder: <c>"hello"</c> reaches <c>controller/hello/&lt;verb&gt;/index</c>,
/// <c>"data.fetch"</c> reaches <c>controller/data/&lt;verb&gt;/fetch</c>, and <c>"index"</c> also finds
/// <c>controller/&lt;verb&gt;/index</c>. Targets are resolved when the site starts; one that reaches no controller,
/// or two, stops startup with a message naming the route file, the target and the paths tried.
/// </remarks>
public sealed class Router
{
    private readonly List<RouteDefinition> _routes = [];
    private readonly string _routeFile;
    private readonly string _subdomain;

    internal Router(string routeFile, string subdomain)
    {
        _routeFile = routeFile;
        _subdomain = subdomain;
    }

    internal IReadOnlyList<RouteDefinition> Routes => _routes;

    /// <summary>Maps a GET route to a controller target such as <c>"hello"</c> or <c>"data.fetch"</c>.</summary>
    public Router Get(string pattern, string target) => AddTarget("GET", pattern, target);

    /// <summary>Maps a GET route to an inline handler whose value, if any, is the response.</summary>
    public Router Get(string pattern, Func<Candy, object?> handler) => AddHandler("GET", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a GET route to an inline handler.</summary>
    public Router Get(string pattern, Action<Candy> handler) => AddHandler("GET", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a GET route to an asynchronous inline handler.</summary>
    public Router Get(string pattern, Func<Candy, Task> handler) => AddHandler("GET", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a GET route to an asynchronous inline handler whose result is the response.</summary>
    public Router Get<TResult>(string pattern, Func<Candy, Task<TResult>> handler) => AddHandler("GET", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a POST route to a controller target.</summary>
    public Router Post(string pattern, string target) => AddTarget("POST", pattern, target);

    /// <summary>Maps a POST route to an inline handler whose value, if any, is the response.</summary>
    public Router Post(string pattern, Func<Candy, object?> handler) => AddHandler("POST", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a POST route to an inline handler.</summary>
    public Router Post(string pattern, Action<Candy> handler) => AddHandler("POST", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a POST route to an asynchronous inline handler.</summary>
    public Router Post(string pattern, Func<Candy, Task> handler) => AddHandler("POST", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a POST route to an asynchronous inline handler whose result is the response.</summary>
    public Router Post<TResult>(string pattern, Func<Candy, Task<TResult>> handler) => AddHandler("POST", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PUT route to a controller target.</summary>
    public Router Put(string pattern, string target) => AddTarget("PUT", pattern, target);

    /// <summary>Maps a PUT route to an inline handler whose value, if any, is the response.</summary>
    public Router Put(string pattern, Func<Candy, object?> handler) => AddHandler("PUT", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PUT route to an inline handler.</summary>
    public Router Put(string pattern, Action<Candy> handler) => AddHandler("PUT", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PUT route to an asynchronous inline handler.</summary>
    public Router Put(string pattern, Func<Candy, Task> handler) => AddHandler("PUT", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PUT route to an asynchronous inline handler whose result is the response.</summary>
    public Router Put<TResult>(string pattern, Func<Candy, Task<TResult>> handler) => AddHandler("PUT", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PATCH route to a controller target.</summary>
    public Router Patch(string pattern, string target) => AddTarget("PATCH", pattern, target);

    /// <summary>Maps a PATCH route to an inline handler whose value, if any, is the response.</summary>
    public Router Patch(string pattern, Func<Candy, object?> handler) => AddHandler("PATCH", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PATCH route to an inline handler.</summary>
    public Router Patch(string pattern, Action<Candy> handler) => AddHandler("PATCH", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PATCH route to an asynchronous inline handler.</summary>
    public Router Patch(string pattern, Func<Candy, Task> handler) => AddHandler("PATCH", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a PATCH route to an asynchronous inline handler whose result is the response.</summary>
    public Router Patch<TResult>(string pattern, Func<Candy, Task<TResult>> handler) => AddHandler("PATCH", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a DELETE route to a controller target.</summary>
    public Router Delete(string pattern, string target) => AddTarget("DELETE", pattern, target);

    /// <summary>Maps a DELETE route to an inline handler whose value, if any, is the response.</summary>
    public Router Delete(string pattern, Func<Candy, object?> handler) => AddHandler("DELETE", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a DELETE route to an inline handler.</summary>
    public Router Delete(string pattern, Action<Candy> handler) => AddHandler("DELETE", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a DELETE route to an asynchronous inline handler.</summary>
    public Router Delete(string pattern, Func<Candy, Task> handler) => AddHandler("DELETE", pattern, RouteHandlers.From(handler));

    /// <summary>Maps a DELETE route to an asynchronous inline handler whose result is the response.</summary>
    public Router Delete<TResult>(string pattern, Func<Candy, Task<TResult>> handler) => AddHandler("DELETE", pattern, RouteHandlers.From(handler));

    private Router AddTarget(string method, string pattern, string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        _routes.Add(new RouteDefinition(method, CheckPattern(pattern), target, null, _routeFile, _subdomain));
        return this;
    }

    private Router AddHandler(string method, string pattern, RouteHandler handler)
    {
        _routes.Add(new RouteDefinition(method, CheckPattern(pattern), null, handler, _routeFile, _subdomain));
        return this;
    }

    private string CheckPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (!pattern.StartsWith('/'))
        {
            throw new ArgumentException($"Route pattern '{pattern}' in {_routeFile} must start with '/'.", nameof(pattern));
        }

        return pattern;
    }
}
