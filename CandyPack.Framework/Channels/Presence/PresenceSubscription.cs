using System.Text.Json;

namespace CandyPack.Channels.Presence;

/// <summary>What a subscription brings to its channel's presence: its user and info, and whether it hides join/leave.</summary>
internal sealed record PresenceSubscription(ChannelPresence? Presence, string? UserId, JsonElement? Info, bool HidesJoinLeave)
{
    /// <summary>A subscription to a channel without presence.</summary>
    public static readonly PresenceSubscription None = new(null, null, null, false);

    /// <summary>
    /// Counts the stream in the channel's presence while it is open; an anonymous subscriber is not listed. A stream
    /// whose per-user count is still asked of Redis (<c>stream.maxPerUser</c>) is counted once it is admitted, so a
    /// refused one is never listed nor announced.
    /// </summary>
    public void Track(CandyStream stream, string channel)
    {
        if (Presence is null || UserId is null)
        {
            return;
        }

        if (stream.Admission is { IsCompleted: false } admission)
        {
            _ = TrackWhenAdmittedAsync(admission, Presence, stream, channel, UserId);
            return;
        }

        Presence.Track(stream, channel, UserId, Info);
    }

    private async Task TrackWhenAdmittedAsync(Task<string?> admission, ChannelPresence presence, CandyStream stream, string channel, string userId)
    {
        // A failed count is the stream's writer's to log, as it cuts the stream; this only needs to know the outcome.
        await ((Task)admission).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (admission.IsCompletedSuccessfully && admission.Result is null)
        {
            presence.Track(stream, channel, userId, Info);
        }
    }
}
