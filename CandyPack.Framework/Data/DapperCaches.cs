using System.Reflection;
using CandyPack.Hosting;
using Dapper;

namespace CandyPack.Data;

/// <summary>
/// Dapper keeps its type maps and generated readers in static caches keyed by type, which would keep a reloaded
/// site's old build in memory for good. A retired build takes its entries with it.
/// </summary>
internal static class DapperCaches
{
    /// <summary>Drops what Dapper cached for <paramref name="site"/>'s types.</summary>
    public static void Release(SiteDefinition site)
    {
        foreach (var type in LoadedTypes(site.Assembly).Where(site.Contains))
        {
            // A null map removes the type's cached map and the queries that read rows into it.
            SqlMapper.SetTypeMap(type, null);
        }

        // Queries are also cached by their parameter types (an anonymous object of the site's); the other sites'
        // entries are rebuilt on their next use.
        SqlMapper.PurgeQueryCache();
    }

    private static IEnumerable<Type> LoadedTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
