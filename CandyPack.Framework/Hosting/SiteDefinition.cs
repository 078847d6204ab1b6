using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Hosting;

/// <summary>
/// What a host needs to serve a site: its folder (config.json, public/) and its compiled assembly.
/// <paramref name="RootNamespace"/> limits discovery to one namespace, for assemblies that hold more than one site.
/// </summary>
internal sealed record SiteDefinition(string Folder, Assembly Assembly, string? RootNamespace = null)
{
    /// <summary>Settings laid over config.json and the environment, keyed <c>section:key</c> (CandyPack.Testing's overrides).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }

    /// <summary>An SQLite file that serves as the site's only database in place of config.json's (a test's own database).</summary>
    public string? DatabaseFile { get; init; }

    /// <summary>Runs after the site's own registrations (its startups), so what it registers replaces theirs.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public string Name => RootNamespace ?? Assembly.GetName().Name ?? Path.GetFileName(Folder);

    public bool Contains(Type type) =>
        RootNamespace is null ||
        (type.Namespace is { } ns && (ns == RootNamespace || ns.StartsWith(RootNamespace + ".", StringComparison.Ordinal)));
}
