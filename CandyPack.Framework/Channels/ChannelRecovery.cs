namespace CandyPack;

/// <summary>What a channel gives a subscriber that connects without a last id (<c>recover</c> of a channel namespace).</summary>
public enum ChannelRecovery
{
    /// <summary>
    /// Live messages only (and the <see cref="SubscribeOptions.Recent"/> newest, when the subscription asks); a client
    /// that reconnects with <c>Last-Event-ID</c> is replayed what it missed. The default.
    /// </summary>
    Stream,

    /// <summary>
    /// As <see cref="Stream"/>, and the channel's latest message first, at once: for channels that carry a state (a price,
    /// a dashboard), which a newcomer needs before the next change. With Redis it is the newest entry of the channel's
    /// shared stream, so an instance that never saw the message still gives it.
    /// </summary>
    Cache,
}
