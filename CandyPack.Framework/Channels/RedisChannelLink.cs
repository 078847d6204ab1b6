namespace CandyPack.Channels;

/// <summary>
/// One channel's state in the Redis backplane: whether it is shared through Redis now, this instance's running
/// number for its messages, and the outbox of messages delivered here while Redis was away. Guarded by
/// <see cref="Gate"/>, which is taken before the channel's own lock, never after.
/// </summary>
internal sealed class RedisChannelLink(ChannelState state, long createdAt)
{
    public Lock Gate { get; } = new();

    public ChannelState State { get; } = state;

    /// <summary>When this instance first used the channel (Unix milliseconds): where a catch-up starts if Redis never told it more.</summary>
    public long CreatedAt { get; } = createdAt;

    /// <summary>Publishes go through Redis and its pub/sub messages are taken; otherwise both wait for a catch-up.</summary>
    public bool Shared { get; set; }

    /// <summary>This instance's number of the newest message it published on the channel.</summary>
    public long Number { get; set; }

    /// <summary>Messages delivered here first, oldest first, until they are appended to the stream.</summary>
    public Queue<OutboxMessage> Outbox { get; } = new();

    /// <summary>The numbers of messages delivered here first whose stream entries this instance has not read back yet.</summary>
    public HashSet<long> DeliveredHere { get; } = [];

    /// <summary>The newest publish, which a publish that must be delivered here awaits first, so local ids keep publish order.</summary>
    public Task Tail { get; set; } = Task.CompletedTask;

    /// <summary>A message delivered here first; <see cref="InDoubt"/> once an append of it failed, which Redis may have run anyway.</summary>
    public sealed class OutboxMessage(RedisMessage message, bool inDoubt)
    {
        public RedisMessage Message { get; } = message;

        public bool InDoubt { get; set; } = inDoubt;
    }
}
