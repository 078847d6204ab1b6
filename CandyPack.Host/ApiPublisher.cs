using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CandyPack.Host;

/// <summary>
/// <c>candy publish &lt;url&gt; &lt;channel&gt; &lt;json&gt; [--event NAME] [--key KEY]</c>: publishes one message through a
/// running site's server API (<c>POST &lt;url&gt;/_candy/api/publish</c>) and prints its id. The key comes from
/// <c>--key</c> or the <c>CANDY_API_KEY</c> environment variable.
/// </summary>
internal static class ApiPublisher
{
    public const string KeyVariable = "CANDY_API_KEY";

    private const string Usage =
        "Usage: candy publish <site-url> <channel> <json> [--event NAME] [--key KEY]   (the key defaults to $" + KeyVariable + ")";

    /// <summary>True when <paramref name="argument"/> is an http(s) URL: <c>candy publish</c> then means this, not publishing a site folder.</summary>
    public static bool IsUrl(string argument) =>
        Uri.TryCreate(argument, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static async Task<int> PublishAsync(IReadOnlyList<string> arguments)
    {
        var positional = new List<string>();
        string? key = null;
        string? eventName = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--key" when i + 1 < arguments.Count:
                    key = arguments[++i];
                    break;
                case "--event" when i + 1 < arguments.Count:
                    eventName = arguments[++i];
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Fail($"Unknown option or missing value: '{option}'.", 2);
                default:
                    positional.Add(arguments[i]);
                    break;
            }
        }

        if (positional.Count != 3)
        {
            return Fail("candy publish to a site takes a URL, a channel and a JSON message.", 2);
        }

        key ??= Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            return Fail($"No API key: pass --key or set {KeyVariable}.", 2);
        }

        JsonNode? data;
        try
        {
            data = JsonNode.Parse(positional[2]);
        }
        catch (JsonException e)
        {
            return Fail($"The message is not JSON ({e.Message}); a text is written as '\"text\"'.", 2);
        }

        var body = new JsonObject { ["channel"] = positional[1], ["data"] = data, ["event"] = eventName };
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, positional[0].TrimEnd('/') + "/_candy/api/publish")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("apikey", key);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            return Fail($"Could not reach {positional[0]}: {e.Message}", 1);
        }

        using var answered = response;
        var answer = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            return Fail($"{(int)response.StatusCode} {response.ReasonPhrase}: {answer}", 1);
        }

        Console.WriteLine(JsonNode.Parse(answer)?["id"]?.GetValue<string>());
        return 0;
    }

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine(message);
        if (exitCode == 2)
        {
            Console.Error.WriteLine(Usage);
        }

        return exitCode;
    }
}
