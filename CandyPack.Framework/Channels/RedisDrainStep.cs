namespace CandyPack.Channels;

/// <summary>
/// One step of a channel's catch-up (<see cref="RedisChannelLink.Drain"/>): what happened, the outbox messages being
/// appended with the task of their appends, or, once the channel is shared again, the numbers it delivered first.
/// </summary>
internal readonly record struct RedisDrainStep(RedisDrainOutcome Outcome, RedisMessage[] Appending, Task Appended, HashSet<long> DeliveredFirst);

/// <summary>Where a step of a channel's catch-up left it.</summary>
internal enum RedisDrainOutcome
{
    /// <summary>The channel stopped sharing again since the catch-up began (Redis went away, or a publish waited past its start): the catch-up ends.</summary>
    StoppedSharing,

    /// <summary>The hub dropped the channel as idle and its outbox is empty: the backplane lets go of it.</summary>
    Retired,

    /// <summary>The outbox is being appended; publishes from now on are appended behind it.</summary>
    Appending,

    /// <summary>The outbox is empty and the channel shared again; what it missed is read back next.</summary>
    Shared,
}
