using System.Reflection;
using System.Runtime.Loader;

namespace CandyPack.Host;

/// <summary>
/// A collectible load context for one build of a site. CandyPack.Framework, ASP.NET Core and every other assembly
/// the host already has come from the host, so <see cref="IController"/> and <see cref="Candy"/> are one type on
/// both sides; the site's own dependencies load from its output folder.
/// </summary>
internal sealed class SiteLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext($"site:{Path.GetFileNameWithoutExtension(mainAssemblyPath)}", isCollectible: true)
{
    private static readonly HashSet<string> HostAssemblies = TrustedPlatformAssemblyNames();
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    /// <summary>Loads the site assembly from a copy in memory, so a rebuild can replace the file while this one runs.</summary>
    public Assembly LoadMain()
    {
        var symbols = Path.ChangeExtension(mainAssemblyPath, ".pdb");
        using var assembly = new MemoryStream(File.ReadAllBytes(mainAssemblyPath));
        using var pdb = File.Exists(symbols) ? new MemoryStream(File.ReadAllBytes(symbols)) : null;
        return LoadFromStream(assembly, pdb);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || HostAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private static HashSet<string> TrustedPlatformAssemblyNames()
    {
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
