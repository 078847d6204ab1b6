namespace CandyPack.Channels;

/// <summary>
/// One channel's state in the Redis backplane: its <see cref="RedisChannelMode"/>, this instance's running number for
/// its messages, the outbox of messages delivered here while Redis was away, and the appends Redis acknowledged that
/// this instance has not delivered yet. Guarded by <see cref="Gate"/>, which is taken before the channel's own lock,
/// never after.
/// </summary>
internal sealed class RedisChannelLink(ChannelState state, long createdAt)
{
    public Lock Gate { get; } = new();

    public ChannelState State { get; } = state;

    /// <summary>When this instance first used the channel (Unix milliseconds): where a catch-up starts if Redis never told it more.</summary>
    public long CreatedAt { get; } = createdAt;

    public RedisChannelMode Mode { get; set; }

    /// <summary>This instance's number of the newest message it published on the channel.</summary>
    public long Number { get; set; }

    /// <summary>Messages delivered here first, oldest first, until they are appended to the stream.</summary>
    public Queue<OutboxMessage> Outbox { get; } = new();

    /// <summary>The numbers of messages delivered here first whose stream entries this instance has not read back yet.</summary>
    public HashSet<long> DeliveredHere { get; } = [];

    /// <summary>
    /// Messages published here that Redis appended (the publisher has their id) but that were not delivered here yet,
    /// oldest first: when Redis goes away before they come back, they are delivered here at once, so no later publish
    /// overtakes them.
    /// </summary>
    public Queue<(ChannelMessageId Id, RedisMessage Message)> Undelivered { get; } = new();

    /// <summary>The newest publish, which a publish that must be delivered here awaits first, so local ids keep publish order.</summary>
    public Task Tail { get; set; } = Task.CompletedTask;

    /// <summary>Forgets the appends that reached this instance's subscribers (up to the channel's newest shared id).</summary>
    public void ForgetDelivered()
    {
        if (Undelivered.Count == 0)
        {
            return;
        }

        var delivered = State.LastBackplaneId;
        while (Undelivered.TryPeek(out var next) && next.Id <= delivered)
        {
            Undelivered.Dequeue();
        }
    }

    /// <summary>A message delivered here first; <see cref="InDoubt"/> once an append of it failed, which Redis may have run anyway.</summary>
    public sealed class OutboxMessage(RedisMessage message, bool inDoubt)
    {
        public RedisMessage Message { get; } = message;

        public bool InDoubt { get; set; } = inDoubt;
    }
}
