using System.Text.Json;

namespace CandyPack.Channels.Presence;

/// <summary>What a subscription brings to its channel's presence: its user and info, and whether it hides join/leave.</summary>
internal sealed record PresenceSubscription(ChannelPresence? Presence, string? UserId, JsonElement? Info, bool HidesJoinLeave)
{
    /// <summary>A subscription to a channel without presence.</summary>
    public static readonly PresenceSubscription None = new(null, null, null, false);

    /// <summary>Counts the stream in the channel's presence while it is open; an anonymous subscriber is not listed.</summary>
    public void Track(CandyStream stream, string channel)
    {
        if (Presence is not null && UserId is not null)
        {
            Presence.Track(stream, channel, UserId, Info);
        }
    }
}
