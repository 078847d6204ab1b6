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
    private List<ChannelHistoryEntry>? _held;

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

    /// <summary>
    /// Gives the next id, frames the message once and delivers it here (the in-process backplane). With
    /// <paramref name="sameMillisecond"/>, ids count on within the newest id's millisecond instead of following the
    /// clock, so the ids a backplane gives later stay larger.
    /// </summary>
    public ChannelMessageId PublishLocal(object? data, string? eventName, JsonSerializerOptions json, long now, bool sameMillisecond)
    {
        lock (_gate)
        {
            var last = sameMillisecond && _lastBackplaneId > _lastId ? _lastBackplaneId : _lastId;
            var id = ChannelMessageId.Next(last, sameMillisecond && !last.IsNone ? 0 : now);
            var frame = SseFormatter.Frame(data, eventName, id.ToString(), json);
            DeliverLocked(new ChannelHistoryEntry(id, now, frame));
            return id;
        }
    }

    /// <summary>Delivers a message that came through the backplane; an id already delivered is a duplicate and dropped.</summary>
    public void DeliverFromBackplane(ChannelMessageId id, string payload, string? eventName, JsonSerializerOptions json, long now, bool deliver)
    {
        lock (_gate)
        {
            if (id > _lastBackplaneId)
            {
                _lastBackplaneId = id;
            }

            if (!deliver || id <= _lastId)
            {
                return;
            }

            var entry = Entry(id, payload, eventName, json, now);
            if (_held is not null)
            {
                _held.Add(entry);
                return;
            }

            DeliverLocked(entry);
        }
    }

    /// <summary>Frames a message that came through the backplane, once for every subscriber of this instance.</summary>
    /// <remarks>A JSON payload arrives as its compact text, which frames to the same bytes as the value it came from.</remarks>
    public static ChannelHistoryEntry Entry(ChannelMessageId id, string payload, string? eventName, JsonSerializerOptions json, long now) =>
        new(id, now, SseFormatter.Frame(payload, eventName, id.ToString(), json));

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

            if (held is not null)
            {
                foreach (var entry in held)
                {
                    if (entry.Id > _lastId)
                    {
                        DeliverLocked(entry);
                    }
                }
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
