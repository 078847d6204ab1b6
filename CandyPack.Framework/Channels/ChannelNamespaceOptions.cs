namespace CandyPack;

/// <summary>
/// The options of the channels whose names start with <see cref="Prefix"/> (an entry of <c>channels.namespaces</c> in
/// config.json), such as <c>{ "prefix": "chat:", "history": 50, "allowAnonymous": false }</c>. The longest matching
/// prefix wins; a channel no prefix matches takes the flat <c>channels</c> options.
/// </summary>
public sealed class ChannelNamespaceOptions
{
    /// <summary>The start of the channel names this namespace covers, such as <c>"chat:"</c>; required, not empty.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Messages each channel keeps, here and in its Redis stream. Default: <c>channels.history</c>.</summary>
    public int? History { get; set; }

    /// <summary>Seconds a kept message stays available for resuming; 0 means no age limit. Default: <c>channels.historyAge</c>.</summary>
    public double? HistoryAge { get; set; }

    /// <summary>
    /// Whether the channels keep presence (<see cref="CandyChannel.Presence"/>, <c>join</c>/<c>leave</c>). Default: as the
    /// <c>channels.presence</c> list says for the channel.
    /// </summary>
    public bool? Presence { get; set; }

    /// <summary>
    /// Every subscriber receives <c>join</c> and <c>leave</c> events, as if its <see cref="SubscribeOptions.JoinLeave"/>
    /// were set. Needs <see cref="Presence"/> true. Default false: only subscriptions that ask receive them.
    /// </summary>
    public bool JoinLeave { get; set; }

    /// <summary>
    /// The most subscribers a channel has on each host instance; the next one is refused with 503 and
    /// <c>Retry-After</c>. Default 0: no limit.
    /// </summary>
    public int MaxSubscribers { get; set; }

    /// <summary>
    /// Whether a request without an authenticated user (<c>candy.User</c>, or a subscribe token) may subscribe. When
    /// false it is refused with 401 before any <see cref="IChannelAuthorizer"/> is asked. Default true.
    /// </summary>
    public bool AllowAnonymous { get; set; } = true;

    /// <summary>
    /// Each text message a WebSocket subscriber sends is published to the channel it subscribed to, and only there (JSON
    /// as that JSON value, other text as a string). The sender passed the subscription's checks: <see cref="AllowAnonymous"/>,
    /// its token and every <see cref="IChannelAuthorizer"/>. Default false.
    /// </summary>
    public bool AllowClientPublish { get; set; }

    /// <summary>What a subscriber that connects without a last id receives first. Default <see cref="ChannelRecovery.Stream"/>.</summary>
    public ChannelRecovery Recover { get; set; }
}
