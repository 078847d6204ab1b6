using System.Text.Json;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Api;

/// <summary>
/// A server API request's JSON body, read strictly: it must be an object, each field one the command knows and of the
/// type it takes; anything else is refused with 400 naming the field. The body size is bounded by <c>api.maxBodySize</c>.
/// </summary>
internal sealed class ApiBody : IDisposable
{
    private readonly JsonDocument _document;

    private ApiBody(JsonDocument document) => _document = document;

    private JsonElement Root => _document.RootElement;

    /// <param name="request">The request.</param>
    /// <param name="fields">The fields the command knows.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    /// <exception cref="ApiError">400: not JSON, not an object, or a field the command does not know.</exception>
    /// <exception cref="BadHttpRequestException">413: the body is larger than <c>api.maxBodySize</c>.</exception>
    public static async Task<ApiBody> ReadAsync(HttpRequest request, string[] fields, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, "body", $"The body is not valid JSON: {e.Message}");
        }

        var body = new ApiBody(document);
        try
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ApiError(StatusCodes.Status400BadRequest, "body", $"The body is a JSON object with the fields {string.Join(", ", fields)}; it is a {Kind(document.RootElement)}.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new ApiError(
                        StatusCodes.Status400BadRequest, property.Name, $"Unknown field {InputText.Describe(property.Name)}; this command takes {string.Join(", ", fields)}.");
                }

                if (!seen.Add(property.Name))
                {
                    throw new ApiError(StatusCodes.Status400BadRequest, property.Name, $"The field \"{property.Name}\" is given twice.");
                }
            }

            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>A field that must be a non-empty string.</summary>
    public string String(string name)
    {
        var value = OptionalString(name);
        return string.IsNullOrEmpty(value) ? throw Missing(name, "a non-empty string") : value;
    }

    /// <summary>A field that may be absent or null, else a string.</summary>
    public string? OptionalString(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        var value => throw WrongType(name, "a string", value.Value),
    };

    /// <summary>A field that may be absent (then <paramref name="absent"/>), else true or false.</summary>
    public bool Bool(string name, bool absent) => Field(name) switch
    {
        null => absent,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var value => throw WrongType(name, "true or false", value.Value),
    };

    /// <summary>
    /// A field that must be present, any JSON: a string is published as it is (as <c>candy.Channel(x).Publish("text")</c>
    /// sends it), anything else as JSON.
    /// </summary>
    public object Data(string name) => Root.TryGetProperty(name, out var value)
        ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.Clone()
        : throw Missing(name, "any JSON value");

    /// <summary>A field that must be an array of 1 to <paramref name="max"/> strings.</summary>
    public List<string> Strings(string name, int max)
    {
        if (Field(name) is not { } value)
        {
            throw Missing(name, $"an array of 1 to {max} strings");
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 || value.GetArrayLength() > max)
        {
            throw WrongType(name, $"an array of 1 to {max} strings", value);
        }

        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType($"{name}[{items.Count}]", "a string", item));
        }

        return items;
    }

    public void Dispose() => _document.Dispose();

    private JsonElement? Field(string name) =>
        Root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static ApiError Missing(string name, string what) =>
        new(StatusCodes.Status400BadRequest, name, $"The field \"{name}\" is required: {what}.");

    private static ApiError WrongType(string name, string what, JsonElement value) =>
        new(StatusCodes.Status400BadRequest, name, $"The field \"{name}\" must be {what}; it is {Kind(value)}.");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => $"an array of {value.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
