using System.Text.Json;
using System.Text.Json.Serialization;

namespace CandyPack.Channels.Presence;

/// <summary>
/// One open (or, during the grace period, just closed: <see cref="Lingering"/>) stream in a channel's presence, as kept
/// here and, as JSON, in Redis.
/// </summary>
internal sealed record PresenceConnection(
    [property: JsonPropertyName("u")] string UserId,
    [property: JsonPropertyName("s")] long Since,
    [property: JsonPropertyName("i")] JsonElement? Info,
    [property: JsonPropertyName("l")] bool Lingering)
{
    public string ToJson() => JsonSerializer.Serialize(this, PresenceJson.Default.PresenceConnection);

    public static PresenceConnection? FromJson(string json) => JsonSerializer.Deserialize(json, PresenceJson.Default.PresenceConnection);
}

[JsonSerializable(typeof(PresenceConnection))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class PresenceJson : JsonSerializerContext;
