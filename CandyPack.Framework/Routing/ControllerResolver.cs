namespace CandyPack.Routing;

/// <summary>
/// Resolves route targets to controllers by the folder convention, and is the one place that
/// convention is spelled out.
/// </summary>
/// <remarks>
/// Rules, for a route mapped with HTTP method <c>verb</c>:
/// <list type="number">
/// <item><c>"hello"</c> → <c>controller/hello/verb/index</c>;</item>
/// <item><c>"data.fetch"</c> → <c>controller/data/verb/fetch</c> (and <c>"a.b.c"</c> → <c>controller/a/b/verb/c</c>);</item>
/// <item><c>"index"</c> also → <c>controller/verb/index</c>.</item>
/// </list>
/// Exactly one existing location must match; none, or more than one, is a startup error.
/// </remarks>
internal sealed class ControllerResolver
{
    private readonly Dictionary<string, List<ControllerDescriptor>> _byLocation = new(StringComparer.Ordinal);

    public ControllerResolver(IEnumerable<ControllerDescriptor> controllers)
    {
        foreach (var controller in controllers)
        {
            if (!_byLocation.TryGetValue(controller.Location, out var list))
            {
                _byLocation[controller.Location] = list = [];
            }

            list.Add(controller);
        }
    }

    public IEnumerable<ControllerDescriptor> All => _byLocation.Values.SelectMany(l => l);

    /// <summary>The locations (below <c>controller/</c>) that <paramref name="target"/> may reach, in rule order.</summary>
    public static IReadOnlyList<string> CandidateLocations(string target, string method)
    {
        var verb = method.ToLowerInvariant();
        var segments = target.ToLowerInvariant().Split('.');
        if (segments.Length == 1)
        {
            var name = segments[0];
            return name == "index" ? [$"index/{verb}/index", $"{verb}/index"] : [$"{name}/{verb}/index"];
        }

        var folder = string.Join('/', segments[..^1]);
        return [$"{folder}/{verb}/{segments[^1]}"];
    }

    /// <summary>Finds the one controller for <paramref name="route"/>, or explains why there is not exactly one.</summary>
    public ControllerDescriptor? Resolve(RouteDefinition route, out string? error)
    {
        var target = route.Target!;
        error = null;
        if (target.Split('.').Any(s => s.Length == 0 || s.Contains('/', StringComparison.Ordinal)))
        {
            error = $"{route.RouteFile}: {route.Method} {route.Pattern} has target \"{target}\", which is not of the form \"name\" or \"folder.name\".";
            return null;
        }

        var tried = CandidateLocations(target, route.Method);
        var found = tried.SelectMany(l => _byLocation.TryGetValue(l, out var list) ? list : []).ToList();
        var paths = string.Join(", ", tried.Select(l => $"controller/{l}"));
        switch (found.Count)
        {
            case 1:
                return found[0];
            case 0:
                error = $"{route.RouteFile}: {route.Method} {route.Pattern} has target \"{target}\", but no controller was found. " +
                        $"Paths tried: {paths}. Add a class implementing IController in one of them (namespace <Site>.Controller...).";
                return null;
            default:
                var classes = string.Join(", ", found.Select(c => $"{c.Type.FullName} (controller/{c.Location})"));
                error = $"{route.RouteFile}: {route.Method} {route.Pattern} has target \"{target}\", which is ambiguous: " +
                        $"{found.Count} controllers match: {classes}. Paths tried: {paths}. Keep only one.";
                return null;
        }
    }
}
