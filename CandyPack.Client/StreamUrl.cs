using System.Net;

namespace CandyPack.Client;

/// <summary>The URL of a stream connection: the route resolved against the client's base address, plus the resume id and token.</summary>
internal static class StreamUrl
{
    public static Uri Resolve(HttpClient http, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute;
        }

        if (http.BaseAddress is null)
        {
            throw new InvalidOperationException($"The stream path '{path}' is relative and the HttpClient has no BaseAddress: set HttpClient.BaseAddress to the site's address, or pass an absolute http(s) URL.");
        }

        return new Uri(http.BaseAddress, path);
    }

    /// <summary><paramref name="url"/> with <c>name=value</c> set in its query (an existing value of that name replaced), or as it is when the value is empty.</summary>
    public static Uri With(Uri url, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return url;
        }

        var builder = new UriBuilder(url);
        var kept = builder.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !pair.Split('=')[0].Equals(name, StringComparison.Ordinal));
        builder.Query = string.Join('&', kept.Append(name + "=" + Uri.EscapeDataString(value)));
        return builder.Uri;
    }

    public static Uri ToWebSocket(Uri url) => new UriBuilder(url) { Scheme = url.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;

    /// <summary>
    /// A 4xx answer means the request itself is refused (not found, unauthorized, forbidden): asking again cannot fix
    /// it. 408 (request timeout) and 429 (too many requests) say "later", like a 5xx.
    /// </summary>
    public static bool IsRefusal(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not HttpStatusCode.RequestTimeout and not HttpStatusCode.TooManyRequests;
}
