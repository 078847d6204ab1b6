using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Api;

/// <summary>Calls of the server API over HTTP, as another service makes them: JSON in, status and JSON out.</summary>
internal static class ApiRequests
{
    public static Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(
        HttpClient client, string command, string json, string? authorization = "apikey " + ApiSite.Key, string? user = null) =>
        SendAsync(client, HttpMethod.Post, "/_candy/api/" + command, json, authorization, user);

    public static Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(
        HttpClient client, string commandAndQuery, string? authorization = "apikey " + ApiSite.Key) =>
        SendAsync(client, HttpMethod.Get, "/_candy/api/" + commandAndQuery, null, authorization, null);

    public static async Task<string> PublishAsync(HttpClient client, string channel, object data, string? eventName = null)
    {
        var (status, body, _) = await PostAsync(client, "publish", JsonSerializer.Serialize(new { channel, data, @event = eventName }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    public static Task<SseListener> SubscribeAsync(HttpClient client, string channel, string? user = null) =>
        SseListener.OpenAsync(client, $"/rooms/{Uri.EscapeDataString(channel)}/stream", headers: user is null ? null : [new(HeaderAuthentication.Header, user)]);

    public static string NewRoom() => "room:" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        HttpClient client, HttpMethod method, string path, string? json, string? authorization, string? user)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (user is not null)
        {
            request.Headers.Add(HeaderAuthentication.Header, user);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonDocument.Parse(text).RootElement.Clone() : JsonSerializer.SerializeToElement(text);
        return (response.StatusCode, body, response);
    }
}
