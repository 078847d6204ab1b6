using System.Text.Json;
using CandyPack.Streaming;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Channels;

/// <summary>
/// One channel on this instance: its subscribers, its history and the newest id. Under the lock only the id, the
/// history append and the hand-over to the fan-out happen; serialising is done before, and the fan-out after, on the
/// thread pool, one batch at a time, so every subscriber sees messages in id order while no publisher waits on
/// subscribers. A message published here and one the Redis backplane hands over take the same way; where a channel
/// stands with Redis is its <see cref="RedisChannelLink"/>'s business.
/// </summary>
internal sealed class ChannelState
{
    private readonly Lock _gate = new();
    private readonly ChannelHistory _history;
    private readonly ChannelFanOut _fanOut;

    public ChannelState(ChannelHub hub, string name, int history)
    {
        Name = name;
        _lastActivity = hub.Now;
        _history = new ChannelHistory(history);
        _fanOut = new ChannelFanOut(_gate, name, hub.Logger);
        Handle = new CandyChannel(hub, this);
    }

    public string Name { get; }

    /// <summary>The public handle, made once per channel.</summary>
    public CandyChannel Handle { get; }

    public int SubscriberCount => _fanOut.Count;

    /// <summary>Messages in this instance's history now.</summary>
    public int HistoryCount
    {
        get
        {
            lock (_gate)
            {
                return _history.Count;
            }
        }
    }

    /// <summary>Set once the hub has let go of this channel; a handle that still holds it takes the live one.</summary>
    public bool Retired { get; private set; }

    /// <summary>When something last happened here (Unix milliseconds): a message, a subscribe or an unsubscribe.</summary>
    private long _lastActivity;

    /// <summary>The newest id delivered here.</summary>
    public ChannelMessageId LastId
    {
        get
        {
            lock (_gate)
            {
                return _lastId;
            }
        }
    }

    private ChannelMessageId _lastId;

    /// <summary>
    /// Gives the next id (<see cref="ChannelMessageId.None"/> when this channel was retired: take the live one and
    /// publish again), keeps the message once and delivers it here (the in-process backplane).
    /// </summary>
    /// <exception cref="BadHttpRequestException">
    /// 503: this instance's subscribers have <see cref="ChannelFanOut.MaxQueuedMessages"/> messages (or
    /// <see cref="ChannelFanOut.MaxQueuedBytes"/> bytes) still to be given; nothing was kept.
    /// </exception>
    public ChannelMessageId PublishLocal(object? data, string? eventName, JsonSerializerOptions json, long now)
    {
        var payload = SharedMessage.Serialize(data, json);
        ChannelMessageId id;
        lock (_gate)
        {
            if (Retired)
            {
                return ChannelMessageId.None;
            }

            if (_fanOut.IsFullLocked)
            {
                throw new BadHttpRequestException(
                    $"Channel '{Name}' is busy: {ChannelFanOut.MaxQueuedMessages} messages or {ChannelFanOut.MaxQueuedBytes / (1024 * 1024)} MiB still wait to reach its subscribers. Publish again shortly.",
                    StatusCodes.Status503ServiceUnavailable);
            }

            id = ChannelMessageId.Next(_lastId, now);
            DeliverLocked(new ChannelHistoryEntry(id, now, new SharedMessage(id.ToString(), eventName, payload, data is string)));
        }

        return id;
    }

    /// <summary>Delivers a message the Redis backplane gives, under the id it chose (see <see cref="RedisChannelLink"/>).</summary>
    public void Deliver(in ChannelHistoryEntry entry)
    {
        lock (_gate)
        {
            DeliverLocked(entry);
        }
    }

    /// <summary>As <see cref="Deliver"/>, unless this instance has delivered that id or a newer one already.</summary>
    public void DeliverIfNewer(in ChannelHistoryEntry entry)
    {
        lock (_gate)
        {
            if (entry.Id > _lastId)
            {
                DeliverLocked(entry);
            }
        }
    }

    /// <summary>Makes the entry of a message that came as UTF-8 bytes (through the backplane), once for every subscriber of this instance.</summary>
    public static ChannelHistoryEntry Entry(ChannelMessageId id, ReadOnlyMemory<byte> payload, string? eventName, bool isText, long now) =>
        new(id, now, new SharedMessage(id.ToString(), eventName, payload, isText));

    /// <summary>
    /// Ends every subscriber's stream without an <c>end</c> event, so clients reconnect with their last id and learn
    /// there whether they can be caught up or get a <c>reset</c>.
    /// </summary>
    public void AskSubscribersToReconnect()
    {
        ChannelSubscriber[] subscribers;
        lock (_gate)
        {
            subscribers = _fanOut.Snapshot();
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Stream.AskToReconnect();
        }
    }

    /// <returns><see langword="false"/> when this channel was retired: subscribe to the live one.</returns>
    /// <exception cref="BadHttpRequestException">503: the channel has <paramref name="maxSubscribers"/> here already (0: no limit).</exception>
    public bool Add(ChannelSubscriber subscriber, long now, int maxSubscribers = 0)
    {
        lock (_gate)
        {
            if (Retired)
            {
                return false;
            }

            if (maxSubscribers > 0 && _fanOut.Count >= maxSubscribers)
            {
                throw new BadHttpRequestException(
                    $"Channel '{Name}' has {maxSubscribers} subscribers on this instance, the most its namespace allows (maxSubscribers). Subscribe again later.",
                    StatusCodes.Status503ServiceUnavailable);
            }

            _lastActivity = now;
            _fanOut.Add(subscriber);
            return true;
        }
    }

    public void Remove(ChannelSubscriber subscriber, long now)
    {
        lock (_gate)
        {
            _lastActivity = now;
            _fanOut.Remove(subscriber);
        }
    }

    /// <summary>
    /// Lets the hub drop this channel when no one is subscribed and nothing happened for <paramref name="idleMilliseconds"/>:
    /// its history is then too old to resume from. With <paramref name="emptyAtOnce"/>, also at once when it keeps no
    /// history (it holds nothing then). Once retired, it takes no more messages or subscribers.
    /// </summary>
    public bool TryRetire(long now, long idleMilliseconds, bool emptyAtOnce = false)
    {
        lock (_gate)
        {
            if (Retired || _fanOut.Count > 0)
            {
                return Retired;
            }

            if (now - _lastActivity < idleMilliseconds && !(emptyAtOnce && _history.Count == 0))
            {
                return false;
            }

            Retired = true;
            return true;
        }
    }

    /// <summary>
    /// What a client that last saw <paramref name="after"/> missed, from this instance's history: the newest id when it
    /// missed nothing (no entries), or <see langword="false"/> when the history no longer reaches back that far.
    /// </summary>
    public bool TryReadAfter(ChannelMessageId after, long oldestAllowed, List<ChannelHistoryEntry> into, out ChannelMessageId newest)
    {
        lock (_gate)
        {
            newest = _lastId;
            if (after == _lastId)
            {
                return true;
            }

            return _history.TryCopyAfter(after, into) && (into.Count == 0 || into[0].ReceivedAt >= oldestAllowed);
        }
    }

    /// <summary>This instance's newest <paramref name="count"/> messages, for a client that joins without a last id; returns the newest id.</summary>
    public ChannelMessageId ReadRecent(int count, long oldestAllowed, List<ChannelHistoryEntry> into)
    {
        lock (_gate)
        {
            _history.CopyLast(count, oldestAllowed, into);
            return _lastId;
        }
    }

    private void DeliverLocked(in ChannelHistoryEntry entry)
    {
        _lastId = entry.Id;
        _lastActivity = entry.ReceivedAt;
        _history.Add(entry);
        _fanOut.EnqueueLocked(entry);
    }
}
