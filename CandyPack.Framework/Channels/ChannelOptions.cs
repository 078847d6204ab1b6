namespace CandyPack;

/// <summary>Channel settings (<c>"channels"</c> in config.json), such as <c>{ "history": 1000, "historyAge": 300 }</c>.</summary>
public sealed class ChannelOptions
{
    /// <summary>Messages each channel keeps for clients that reconnect with <c>Last-Event-ID</c>. Default 1000; 0 keeps none.</summary>
    public int History { get; set; } = 1000;

    /// <summary>
    /// Seconds a kept message stays available for resuming. A client whose next message is older gets a <c>reset</c>
    /// event instead of a replay. Default 300; 0 means no age limit.
    /// </summary>
    public double HistoryAge { get; set; } = 300;

    /// <summary>
    /// The most channels a site holds at once; opening another then answers 503 until idle ones are dropped. A channel
    /// is dropped once it has no subscribers and nothing happened on it for <see cref="HistoryAge"/> seconds (300 when
    /// that is 0). Default 100,000; 0 means no limit.
    /// </summary>
    public int MaxChannels { get; set; } = 100_000;

    /// <summary>
    /// The channels that keep presence (who is subscribed, <see cref="CandyChannel.Presence"/>) and can send
    /// <c>join</c>/<c>leave</c>: exact names, or prefixes ending in <c>*</c> such as <c>"room:*"</c>. Default: none. A
    /// namespace's own <see cref="ChannelNamespaceOptions.Presence"/>, when given, decides for its channels instead.
    /// </summary>
    public IList<string> Presence { get; } = [];

    /// <summary>
    /// Seconds a user's closed stream still counts before they <c>leave</c>: a reconnect within it is neither a
    /// <c>leave</c> nor a new <c>join</c>. Default 5; 0 announces at once.
    /// </summary>
    public double PresenceGrace { get; set; } = 5;

    /// <summary>
    /// With Redis, seconds after which the presence entries of an instance that stopped refreshing them (it died) are
    /// gone from every list, and its streams no longer count for <c>stream.maxPerUser</c>. Instances refresh every
    /// third of it. Default 10.
    /// </summary>
    public double PresenceTimeout { get; set; } = 10;

    /// <summary>
    /// Options by channel-name prefix, such as <c>[{ "prefix": "chat:", "history": 50 }]</c>: the longest matching prefix
    /// wins, and the options above are those of every channel no prefix matches. Default: none.
    /// </summary>
    public IList<ChannelNamespaceOptions> Namespaces { get; } = [];

    internal const double DefaultIdleSeconds = 300;
}
