using System.Reflection;

namespace CandyPack.Hosting;

/// <summary>
/// What a host needs to serve a site: its folder (config.json, public/) and its compiled assembly.
/// <paramref name="RootNamespace"/> limits discovery to one namespace, for assemblies that hold more than one site.
/// </summary>
internal sealed record SiteDefinition(string Folder, Assembly Assembly, string? RootNamespace = null)
{
    public string Name => RootNamespace ?? Assembly.GetName().Name ?? Path.GetFileName(Folder);

    public bool Contains(Type type) =>
        RootNamespace is null ||
        (type.Namespace is { } ns && (ns == RootNamespace || ns.StartsWith(RootNamespace + ".", StringComparison.Ordinal)));
}
