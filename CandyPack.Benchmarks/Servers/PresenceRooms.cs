namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The channels and paths of the presence scenario, on both servers: subscribers of the room are listed in its
/// presence; subscribers of the plain channel, the same requests without presence, isolate what presence costs.
/// </summary>
internal static class PresenceRooms
{
    /// <summary>The room's presence list as JSON, one entry per user.</summary>
    public const string ListPath = "/presence/list";

    /// <summary>A subscriber of the room that receives <c>join</c> and <c>leave</c>.</summary>
    public const string ObservePath = "/presence/observe";

    /// <summary>The room: a channel listed in the presence site's <c>channels.presence</c>, each subscriber with a small info object.</summary>
    public static CandyChannelBroadcast Room { get; } = new("room", "/presence/stream");

    /// <summary>A channel without presence, subscribed to by the same authenticated requests.</summary>
    public static CandyChannelBroadcast Plain { get; } = new("plain", "/plain/stream");
}
