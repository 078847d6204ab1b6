namespace CandyPack;

/// <summary>How a request subscribes to a channel: <c>candy.Stream(channel, new SubscribeOptions { JoinLeave = true })</c>.</summary>
public sealed class SubscribeOptions
{
    /// <summary>
    /// A client that connects without a last id first receives up to this many of the newest messages of the channel's
    /// history (within <c>historyAge</c>; with Redis, its shared stream), then live ones. Default 0; a channel whose
    /// namespace has <c>"recover": "cache"</c> gives at least its latest message.
    /// </summary>
    public int Recent { get; set; }

    /// <summary>
    /// A small object (at most 1 KB as JSON) shown with this connection in the channel's presence list and in its
    /// <c>join</c> event, such as <c>new { name, color }</c>. Only on channels with presence (<c>channels.presence</c>, or
    /// a namespace's <c>presence</c>).
    /// </summary>
    public object? Info { get; set; }

    /// <summary>
    /// Receive <c>join</c> and <c>leave</c> events, <c>{"userId": ..., "info": ...}</c>, when a user's first stream to
    /// the channel opens and their last one closes (after <c>channels.presenceGrace</c> seconds, so a quick reconnect
    /// is neither). Only on channels with presence.
    /// </summary>
    public bool JoinLeave { get; set; }
}
