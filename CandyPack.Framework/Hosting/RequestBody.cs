using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>
/// A form or JSON request body, read before the controller runs so that <see cref="Candy.Request(string)"/>
/// is a plain lookup. Other bodies are left unread on the request stream.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    public static readonly RequestBody Empty = new(null, null);

    private readonly IFormCollection? _form;
    private readonly JsonDocument? _json;

    private RequestBody(IFormCollection? form, JsonDocument? json)
    {
        _form = form;
        _json = json;
    }

    // The content type is checked first: HasFormContentType would allocate a form feature for every bodiless GET.
    public static bool HasReadableBody(HttpRequest request) =>
        request.ContentType is not null && request.ContentLength != 0 && (request.HasFormContentType || request.HasJsonContentType());

    /// <exception cref="BadHttpRequestException">400 for malformed JSON or form data; 413 past the body limit.</exception>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, long? limit, CancellationToken cancellationToken)
    {
        try
        {
            if (request.HasFormContentType)
            {
                return new RequestBody(await request.ReadFormAsync(cancellationToken), null);
            }

            var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return new RequestBody(null, document);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new BadHttpRequestException(
                $"Request body too large: the limit is {limit} bytes (request.maxBodySize in config.json).",
                StatusCodes.Status413PayloadTooLarge,
                e);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException($"Request body is not valid JSON: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
        catch (InvalidDataException e)
        {
            throw new BadHttpRequestException($"Request form body is malformed: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    public string? Get(string key)
    {
        if (_form is not null)
        {
            return _form.TryGetValue(key, out var value) ? value.ToString() : null;
        }

        if (_json is not null && _json.RootElement.ValueKind == JsonValueKind.Object &&
            _json.RootElement.TryGetProperty(key, out var property))
        {
            return property.ValueKind switch
            {
                JsonValueKind.String => property.GetString(),
                JsonValueKind.Null => null,
                _ => property.GetRawText(),
            };
        }

        return null;
    }

    public T? Deserialize<T>(JsonSerializerOptions options) =>
        _json is null ? default : _json.RootElement.Deserialize<T>(options);

    public void Dispose() => _json?.Dispose();

    public override string ToString() =>
        _form is not null ? string.Create(CultureInfo.InvariantCulture, $"form ({_form.Count} fields)") : _json is not null ? "json" : "none";
}
