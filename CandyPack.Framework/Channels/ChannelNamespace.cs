namespace CandyPack.Channels;

/// <summary>
/// The options that hold for one channel: those of its namespace (the longest <c>channels.namespaces</c> prefix its
/// name starts with), with what the namespace leaves out taken from the flat <c>channels</c> options; or, for a
/// channel no prefix matches, the flat options themselves (the default namespace, <see cref="Prefix"/> empty).
/// </summary>
internal sealed class ChannelNamespace
{
    public ChannelNamespace(ChannelOptions flat, ChannelNamespaceOptions? own = null)
    {
        Prefix = own?.Prefix ?? "";
        History = own?.History ?? flat.History;
        HistoryAge = own?.HistoryAge ?? flat.HistoryAge;
        Presence = own?.Presence;
        JoinLeave = own?.JoinLeave ?? false;
        MaxSubscribers = own?.MaxSubscribers ?? 0;
        AllowAnonymous = own?.AllowAnonymous ?? true;
        AllowClientPublish = own?.AllowClientPublish ?? false;
        Recover = own?.Recover ?? ChannelRecovery.Stream;

        // An idle channel's history is too old to resume from once historyAge has passed; without an age, after the
        // default idle time, except in cache mode, where the latest message is the channel's value and stays while
        // channels.maxChannels leaves room.
        IdleMilliseconds = HistoryAge > 0 ? (long)(HistoryAge * 1000)
            : Recover == ChannelRecovery.Cache ? long.MaxValue
            : (long)(ChannelOptions.DefaultIdleSeconds * 1000);
    }

    /// <summary>The namespace's prefix; empty for the default namespace.</summary>
    public string Prefix { get; }

    public int History { get; }

    public double HistoryAge { get; }

    /// <summary>Whether the channels keep presence; <see langword="null"/> when the <c>channels.presence</c> list decides.</summary>
    public bool? Presence { get; }

    public bool JoinLeave { get; }

    /// <summary>The most subscribers per channel on this instance; 0 for no limit.</summary>
    public int MaxSubscribers { get; }

    public bool AllowAnonymous { get; }

    public bool AllowClientPublish { get; }

    public ChannelRecovery Recover { get; }

    /// <summary>How long a channel with no subscribers and nothing happening is kept (milliseconds).</summary>
    public long IdleMilliseconds { get; }

    /// <summary>How the namespace is named in messages: its prefix in config.json, or the flat options.</summary>
    public string Describe() => Prefix.Length == 0 ? "the channels options" : $"channels.namespaces \"{Prefix}\"";

    /// <summary>Messages received before this (Unix milliseconds) are older than <c>historyAge</c>: never replayed.</summary>
    public long OldestAllowed(long now) => HistoryAge > 0 ? now - (long)(HistoryAge * 1000) : long.MinValue;
}
