using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>
/// A form or JSON request body, read the first time the controller asks for a value from it
/// (<see cref="Candy.Request(string)"/> past the route and query values, or <see cref="Candy.Json{T}"/>), so a route
/// that never looks at its body is never refused for it. A malformed body is reported to the call that asked.
/// Other bodies are left unread on the request stream.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    public static readonly RequestBody Empty = new(null, null, CancellationToken.None);

    private readonly HttpRequest? _request;
    private readonly long? _limit;
    private readonly CancellationToken _cancellationToken;
    private Task? _reading;
    private IFormCollection? _form;
    private JsonDocument? _json;

    private RequestBody(HttpRequest? request, long? limit, CancellationToken cancellationToken)
    {
        _request = request;
        _limit = limit;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The body of <paramref name="request"/>, unread yet; <see cref="Empty"/> when it is neither form nor JSON.</summary>
    /// <param name="request">The request whose body this is.</param>
    /// <param name="limit">The size limit, for the 413 message (Kestrel enforces it).</param>
    /// <param name="cancellationToken">Stops a read in progress: the request's abort or timeout.</param>
    public static RequestBody Of(HttpRequest request, long? limit, CancellationToken cancellationToken) =>
        HasReadableBody(request) ? new RequestBody(request, limit, cancellationToken) : Empty;

    /// <exception cref="BadHttpRequestException">400 for a malformed body; 413 past the body limit.</exception>
    public string? Get(string key)
    {
        Read();
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

    /// <exception cref="BadHttpRequestException">400 for a malformed body or one that does not fit <typeparamref name="T"/>; 413 past the body limit.</exception>
    public T? Deserialize<T>(JsonSerializerOptions options)
    {
        Read();
        try
        {
            return _json is null ? default : _json.RootElement.Deserialize<T>(options);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException($"Request body does not fit {typeof(T).Name}: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    public void Dispose() => _json?.Dispose();

    public override string ToString() =>
        _form is not null ? string.Create(CultureInfo.InvariantCulture, $"form ({_form.Count} fields)") : _json is not null ? "json" : "none";

    // The content type is checked first: HasFormContentType would allocate a form feature for every bodiless GET.
    private static bool HasReadableBody(HttpRequest request) =>
        request.ContentType is not null && request.ContentLength != 0 && (request.HasFormContentType || request.HasJsonContentType());

    /// <summary>
    /// Reads the body once; later calls see the same values or the same failure. Request and Json are synchronous
    /// lookups, so this waits for the read: usually the body arrived with the headers, and a slow one is bounded by
    /// Kestrel's minimum data rate and by the request timeout through the cancellation token.
    /// </summary>
    private void Read()
    {
        if (_request is not null)
        {
            (_reading ??= ReadAsync(_request)).GetAwaiter().GetResult();
        }
    }

    private async Task ReadAsync(HttpRequest request)
    {
        try
        {
            if (request.HasFormContentType)
            {
                _form = await request.ReadFormAsync(_cancellationToken);
            }
            else
            {
                _json = await JsonDocument.ParseAsync(request.Body, default, _cancellationToken);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new BadHttpRequestException(
                $"Request body too large: the limit is {_limit} bytes (request.maxBodySize in config.json).",
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
}
