using System.Text.Json;
using CandyPack.Streaming;

namespace CandyPack.Channels;

/// <summary>
/// One channel on this instance: its subscribers, its history and the newest id. Every delivery happens under one
/// lock, so ids, history and each subscriber's queue see messages in one order.
/// </summary>
internal sealed class ChannelState
{
    private readonly Lock _gate = new();
    private readonly ChannelHistory _history;
    private ChannelSubscriber[] _subscribers = [];
    private List<(ChannelHistoryEntry Entry, bool Deliver)>? _held;

    public ChannelState(ChannelHub hub, string name, int history)
    {
        Name = name;
        _history = new ChannelHistory(history);
        Handle = new CandyChannel(hub, this);
    }

    public string Name { get; }

    /// <summary>The public handle, made once per channel.</summary>
    public CandyChannel Handle { get; }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

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

    /// <summary>The newest id that came from the backplane (Redis), where a catch-up resumes reading.</summary>
    public ChannelMessageId LastBackplaneId
    {
        get
        {
            lock (_gate)
            {
                return _lastBackplaneId;
            }
        }
    }

    private ChannelMessageId _lastId;
    private ChannelMessageId _lastBackplaneId;

    /// <summary>Gives the next id, frames the message once and delivers it here (the in-process backplane).</summary>
    public ChannelMessageId PublishLocal(object? data, string? eventName, JsonSerializerOptions json, long now)
    {
        lock (_gate)
        {
            var id = ChannelMessageId.Next(_lastId, now);
            var frame = SseFormatter.Frame(data, eventName, id.ToString(), json);
            DeliverLocked(new ChannelHistoryEntry(id, now, frame));
            return id;
        }
    }

    /// <summary>
    /// Delivers here a message the backplane cannot share now, under an id of <paramref name="origin"/> (this
    /// instance) that follows the newest shared id: see <see cref="ChannelMessageId"/>.
    /// </summary>
    public ChannelMessageId PublishFromOrigin(ReadOnlyMemory<byte> payload, string? eventName, string origin, long number, long now)
    {
        lock (_gate)
        {
            var id = ChannelMessageId.FromOrigin(_lastBackplaneId, origin, number);
            DeliverLocked(Entry(id, payload, eventName, now));
            return id;
        }
    }

    /// <summary>
    /// Takes a message in the order the backplane gives. One at or before the newest backplane id is a repeat and
    /// dropped; with <paramref name="deliver"/> false (this instance delivered it first) only its id is noted.
    /// </summary>
    public void DeliverFromBackplane(in ChannelHistoryEntry entry, bool deliver)
    {
        lock (_gate)
        {
            if (entry.Id.Shared <= _lastBackplaneId)
            {
                return;
            }

            if (_held is not null)
            {
                // The catch-up decides where the newest backplane id ends up, once it has read what came before.
                _held.Add((entry, deliver));
                return;
            }

            _lastBackplaneId = entry.Id.Shared;
            if (deliver && entry.Id > _lastId)
            {
                DeliverLocked(entry);
            }
        }
    }

    /// <summary>Frames a message that came as UTF-8 bytes (through the backplane), once for every subscriber of this instance.</summary>
    public static ChannelHistoryEntry Entry(ChannelMessageId id, ReadOnlyMemory<byte> payload, string? eventName, long now) =>
        new(id, now, SseFormatter.Frame(payload.Span, eventName, id.ToString()));

    /// <summary>Records that the backplane has reached <paramref name="id"/>, so a catch-up starts after it.</summary>
    public void NoteBackplaneId(ChannelMessageId id)
    {
        lock (_gate)
        {
            if (id > _lastBackplaneId)
            {
                _lastBackplaneId = id;
            }
        }
    }

    /// <summary>Starts a catch-up: backplane messages are held until <see cref="EndCatchUp"/> has delivered what was missed.</summary>
    public void BeginCatchUp()
    {
        lock (_gate)
        {
            _held ??= [];
        }
    }

    /// <summary>Delivers the messages read back from the backplane, then the held ones, in id order and without duplicates.</summary>
    public void EndCatchUp(List<ChannelHistoryEntry> missed, ChannelMessageId readUpTo)
    {
        lock (_gate)
        {
            var held = _held;
            _held = null;
            if (readUpTo > _lastBackplaneId)
            {
                _lastBackplaneId = readUpTo;
            }

            foreach (var entry in missed)
            {
                if (entry.Id > _lastId)
                {
                    DeliverLocked(entry);
                }
            }

            foreach (var (entry, deliver) in held ?? [])
            {
                if (entry.Id.Shared <= _lastBackplaneId)
                {
                    continue;
                }

                _lastBackplaneId = entry.Id.Shared;
                if (deliver && entry.Id > _lastId)
                {
                    DeliverLocked(entry);
                }
            }
        }
    }

    /// <summary>Ends a catch-up that could not read: held messages are dropped, as the next catch-up reads them again.</summary>
    public void AbandonCatchUp()
    {
        lock (_gate)
        {
            _held = null;
        }
    }

    /// <summary>
    /// Ends every subscriber's stream without an <c>end</c> event, so clients reconnect with their last id and learn
    /// there whether they can be caught up or get a <c>reset</c>.
    /// </summary>
    public void DisconnectSubscribers()
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Stream.Shutdown();
            }
        }
    }

    public void Add(ChannelSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscriber];
        }
    }

    public void Remove(ChannelSubscriber subscriber)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscriber);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers.AsSpan(0, index), .. _subscribers.AsSpan(index + 1)];
            }
        }
    }

    public void GoLive(ChannelSubscriber subscriber, ChannelMessageId replayedUpTo)
    {
        lock (_gate)
        {
            subscriber.GoLive(replayedUpTo);
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

    private void DeliverLocked(in ChannelHistoryEntry entry)
    {
        _lastId = entry.Id;
        _history.Add(entry);
        var subscribers = _subscribers;
        for (var i = 0; i < subscribers.Length; i++)
        {
            subscribers[i].Offer(entry);
        }
    }
}
