using System.Text.Json;
using System.Text.Json.Nodes;

namespace CandyPack.Data;

/// <summary>
/// Turns a C# value into one a driver binds as a parameter: objects and lists become JSON text, written with the
/// site's JSON settings so a JSON column reads as the site's responses do (camelCase by default).
/// </summary>
internal static class SqlValues
{
    public static object? ToParameter(object? value, JsonSerializerOptions json) => value switch
    {
        null or DBNull => null,
        string or bool or int or long or short or byte or sbyte or uint or ulong or ushort
            or double or float or decimal or DateTime or DateTimeOffset or DateOnly or TimeOnly or TimeSpan
            or Guid or byte[] => value,
        char c => c.ToString(),
        Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture),
        JsonElement element => element.GetRawText(),
        JsonNode node => node.ToJsonString(),
        // Objects, dictionaries and lists go into JSON columns as JSON text.
        _ => JsonSerializer.Serialize(value, value.GetType(), json),
    };
}
