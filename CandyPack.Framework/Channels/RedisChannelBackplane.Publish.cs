using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>Publishing: through Redis while the channel is shared, delivered here first and kept for Redis otherwise.</summary>
internal sealed partial class RedisChannelBackplane
{
    public Task<string> PublishAsync(ChannelState state, object? data, string? eventName)
    {
        // Serialise before anything is sent, so a value that cannot be serialised throws and nothing goes out.
        var payload = Streaming.SharedMessage.Serialize(data, _hub.Json);
        var link = Link(state);
        lock (link.Gate)
        {
            // One running number for the whole instance: rising within each channel, and never reused when a channel
            // dropped as idle is used again under the same name.
            link.Number = Interlocked.Increment(ref _nextNumber);
            var message = new RedisMessage(ChannelMessageId.None, payload, eventName, _origin, link.Number, DeliveredFirst: false, IsText: data is string);
            var previous = link.Tail;
            var published = link.Shared ? SendAsync(link, message, previous) : DeliverHereAsync(link, message, previous, inDoubt: false);
            link.Tail = published;
            return published;
        }
    }

    private async Task<string> SendAsync(RedisChannelLink link, RedisMessage message, Task previous)
    {
        try
        {
            // Queued before the first await, under the channel's gate, so appends reach Redis in the order of their numbers.
            // This instance's subscribers get the message through the subscription, in the order Redis gave.
            return (await RedisChannelWire.AppendAsync(_redis.GetDatabase(), Key(link.State), MaxLength, _pubSub, link.State.Name, message)).ToString();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            // Off the caller's thread first: a failure seen at once would otherwise be handled under the channel's
            // gate, and stopping every channel takes the gates in the other order.
            await Task.Yield();

            // Redis may still run the append (a paused server answers late): the catch-up checks before appending again.
            Degrade(e, _redis.Configuration);
            await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return DeliverHere(link, message, inDoubt: true);
        }
    }

    private async Task<string> DeliverHereAsync(RedisChannelLink link, RedisMessage message, Task previous, bool inDoubt)
    {
        // An earlier publish may still be waiting for Redis; if it ends up delivered here, it goes first.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return DeliverHere(link, message, inDoubt);
    }

    /// <summary>Delivers a message to this instance's subscribers now and keeps it for Redis.</summary>
    private string DeliverHere(RedisChannelLink link, RedisMessage message, bool inDoubt)
    {
        lock (link.Gate)
        {
            if (!inDoubt && link.Outbox.Count >= OutboxLimit)
            {
                throw new InvalidOperationException(
                    $"Channel '{link.State.Name}': Redis is unreachable and {OutboxLimit} messages published here wait for it; this one was not sent. Publish it again once Redis is back.");
            }

            if (link.Shared)
            {
                // The channel was caught up while this publish waited: it must be caught up again to share the message.
                link.Shared = false;
                WakeRecovery();
            }

            var id = link.State.PublishFromOrigin(message.Payload, message.Event, message.IsText, _origin, message.Number, _hub.Now);
            link.Outbox.Enqueue(new RedisChannelLink.OutboxMessage(message with { DeliveredFirst = true }, inDoubt));
            link.DeliveredHere.Add(message.Number);
            return id.ToString();
        }
    }
}
