using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CandyPack.Data;

/// <summary>
/// The columns and values of an object given to <c>Insert</c> or <c>Set</c>: a dictionary's entries, or the public
/// properties of an anonymous object or a class (read through a per-type cache).
/// </summary>
internal static class ObjectColumns
{
    // Weak keys: a reloaded site's types must not be kept alive by the cache, or its old build could never unload.
    private static readonly ConditionalWeakTable<Type, PropertyInfo[]> Properties = new();

    public static List<KeyValuePair<string, object?>> Read(object row, string paramName)
    {
        ArgumentNullException.ThrowIfNull(row, paramName);
        var columns = new List<KeyValuePair<string, object?>>();
        switch (row)
        {
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var (key, value) in pairs)
                {
                    columns.Add(new(Identifier.Plain(key, paramName, "column"), value));
                }

                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    columns.Add(new(Identifier.Plain(entry.Key as string, paramName, "column"), entry.Value));
                }

                break;
            case string or IEnumerable:
                throw new ArgumentException($"A row is an object or a dictionary of column → value, not a {row.GetType().Name}.", paramName);
            default:
                foreach (var property in Properties.GetValue(row.GetType(), Readable))
                {
                    columns.Add(new(Identifier.Plain(property.Name, paramName, "column"), property.GetValue(row)));
                }

                break;
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException($"The row ({row.GetType().Name}) has no columns: give an object with public properties or a non-empty dictionary.", paramName);
        }

        return columns;
    }

    private static PropertyInfo[] Readable(Type type)
    {
        var all = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var readable = new List<PropertyInfo>(all.Length);
        foreach (var property in all)
        {
            if (property.CanRead && property.GetIndexParameters().Length == 0)
            {
                readable.Add(property);
            }
        }

        return [.. readable];
    }
}
