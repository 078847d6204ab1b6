using System.Text.Json;

namespace CandyPack;

/// <summary>One user subscribed to a channel now, as <see cref="CandyChannel.Presence"/> lists them.</summary>
/// <param name="UserId">The user's id: the <c>NameIdentifier</c> claim, else the identity's name.</param>
/// <param name="Connections">How many streams the user has open on the channel, across every host instance.</param>
/// <param name="Since">When the user's oldest open stream subscribed.</param>
/// <param name="Info">The info object of each open stream that gave one (<see cref="SubscribeOptions.Info"/>), oldest first.</param>
public sealed record PresenceMember(string UserId, int Connections, DateTimeOffset Since, IReadOnlyList<JsonElement> Info);
