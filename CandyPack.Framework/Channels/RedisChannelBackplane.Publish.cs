using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>Publishing: appended through Redis unless it is away; then delivered here first and kept in the outbox for Redis.</summary>
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

            // While the outbox drains, a publish is appended behind it, so the outbox only shrinks.
            var published = link.Mode == RedisChannelMode.Degraded ? DeliverHereAsync(link, message, previous, inDoubt: false) : SendAsync(link, message, previous);
            link.Tail = published;
            return published;
        }
    }

    private async Task<string> SendAsync(RedisChannelLink link, RedisMessage message, Task previous)
    {
        ChannelMessageId id;
        try
        {
            // Queued before the first await, under the channel's gate, so appends reach Redis in the order of their numbers.
            // This instance's subscribers get the message through the subscription, in the order Redis gave.
            id = await RedisChannelWire.AppendAsync(_redis.GetDatabase(), Key(link.State), MaxLength, _pubSub, link.State.Name, message);
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

        lock (link.Gate)
        {
            if (id <= link.State.LastBackplaneId)
            {
                return id.ToString();
            }

            if (link.Mode != RedisChannelMode.Degraded)
            {
                // Delivered here when the subscription or the catch-up brings it back, or at once if Redis goes away first.
                link.Undelivered.Enqueue((id, message));
                return id.ToString();
            }
        }

        // Appended, then Redis went away before this instance heard it back: delivered here after the publishes before it.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (link.Gate)
        {
            return id <= link.State.LastBackplaneId ? id.ToString() : DeliverHere(link, message, inDoubt: true);
        }
    }

    private async Task<string> DeliverHereAsync(RedisChannelLink link, RedisMessage message, Task previous, bool inDoubt)
    {
        // An earlier publish may still be waiting for Redis; if it ends up delivered here, it goes first.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return DeliverHere(link, message, inDoubt);
    }

    /// <summary>Delivers a message to this instance's subscribers now and keeps it for Redis.</summary>
    /// <exception cref="BadHttpRequestException">503: the outbox is full (<see cref="OutboxLimit"/>); the message was not published.</exception>
    private string DeliverHere(RedisChannelLink link, RedisMessage message, bool inDoubt)
    {
        lock (link.Gate)
        {
            if (!inDoubt && link.Outbox.Count >= OutboxLimit)
            {
                throw new BadHttpRequestException(
                    $"Channel '{link.State.Name}': Redis is unreachable and {OutboxLimit} messages published here wait for it; this one was not published. Publish it again once Redis is back.",
                    StatusCodes.Status503ServiceUnavailable);
            }

            if (link.Mode != RedisChannelMode.Degraded)
            {
                // The channel began to catch up while this publish waited: it must be caught up again to share the message.
                StopSharing(link);
                WakeRecovery();
            }

            return DeliverHereLocked(link, message, inDoubt);
        }
    }

    /// <summary>Under the channel's gate: stops sharing it, and delivers here what Redis appended for this instance but it has not delivered yet.</summary>
    private void StopSharing(RedisChannelLink link)
    {
        link.Mode = RedisChannelMode.Degraded;
        while (link.Undelivered.TryDequeue(out var appended))
        {
            if (appended.Id > link.State.LastBackplaneId)
            {
                // Its entry is in the stream: kept in the outbox as in doubt, the catch-up finds it there and does not append it again.
                DeliverHereLocked(link, appended.Message, inDoubt: true);
            }
        }
    }

    private string DeliverHereLocked(RedisChannelLink link, RedisMessage message, bool inDoubt)
    {
        var id = link.State.PublishFromOrigin(message.Payload, message.Event, message.IsText, _origin, message.Number, _hub.Now);
        link.Outbox.Enqueue(new RedisChannelLink.OutboxMessage(message with { DeliveredFirst = true }, inDoubt));
        link.DeliveredHere.Add(message.Number);
        return id.ToString();
    }
}
