using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Presence;

/// <summary>What the presence tests do over HTTP: subscribe as a user, read a room's presence, ask for a token.</summary>
internal static class PresenceClient
{
    public static string NewRoom() => "room:" + Guid.NewGuid().ToString("N")[..12];

    public static Task<SseListener> SubscribeAsync(HttpClient client, string room, string? user, string query = "") =>
        SseListener.OpenAsync(client, $"/rooms/{room}/stream?{query}", headers: user is null ? null : [new(HeaderAuthentication.Header, user)]);

    public static async Task<List<PresenceMember>> PresenceAsync(HttpClient client, string room)
    {
        using var response = await client.GetAsync($"/rooms/{room}/presence");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<PresenceMember>>(JsonSerializerOptions.Web))!;
    }

    /// <summary>Waits until the room's presence satisfies <paramref name="condition"/>; fails naming what it last saw.</summary>
    public static async Task<List<PresenceMember>> WaitForPresenceAsync(HttpClient client, string room, Func<List<PresenceMember>, bool> condition, string what, TimeSpan? deadline = null)
    {
        List<PresenceMember> last = [];
        if (!await Eventually.TrueAsync(async () => condition(last = await PresenceAsync(client, room)), deadline))
        {
            Assert.Fail($"Timed out waiting for {what}; presence was {JsonSerializer.Serialize(last)}");
        }

        return last;
    }

    public static async Task<string> TokenAsync(HttpClient client, string room, string user, double seconds = 60)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{room}/token?seconds={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        request.Headers.Add(HeaderAuthentication.Header, user);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>The join and leave events a listener has received, as "join:ann".</summary>
    public static List<string> Changes(SseListener listener) => Changes(listener.Items);

    /// <summary>The join and leave events among <paramref name="items"/>, as "join:ann".</summary>
    public static List<string> Changes(IEnumerable<SseItem<string>> items) =>
        [.. items.Where(i => i.EventType is "join" or "leave").Select(i => i.EventType + ":" + JsonDocument.Parse(i.Data).RootElement.GetProperty("userId").GetString())];
}
