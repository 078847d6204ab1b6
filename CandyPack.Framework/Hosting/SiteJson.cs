using System.Reflection;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CandyPack.Hosting;

/// <summary>The JSON settings of one build of a site.</summary>
internal static class SiteJson
{
    /// <summary>
    /// Gives <paramref name="options"/> a resolver of its own. System.Text.Json shares its metadata cache between
    /// option instances with equal settings, so without this a rebuilt site would hold the contracts of the old
    /// build's types, and the old build could never unload.
    /// </summary>
    public static JsonSerializerOptions OwnCache(JsonSerializerOptions options)
    {
        if (!options.IsReadOnly && options.TypeInfoResolver is null)
        {
            options.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        }

        return options;
    }

    /// <summary>
    /// Clears System.Text.Json's process-wide cache of generated property accessors, which holds the types of every
    /// build that was serialized. The library declares a metadata update handler for this, the hook hot reload calls
    /// when code changes; a retired build is such a change.
    /// </summary>
    /// <returns>False when this runtime's System.Text.Json has no such hook.</returns>
    public static bool ForgetRetiredTypes()
    {
        var cleared = false;
        foreach (var handler in typeof(JsonSerializer).Assembly.GetCustomAttributes<MetadataUpdateHandlerAttribute>())
        {
            if (handler.HandlerType.GetMethod("ClearCache", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(Type[])]) is { } clear)
            {
                clear.Invoke(null, [null]);
                cleared = true;
            }
        }

        return cleared;
    }
}
