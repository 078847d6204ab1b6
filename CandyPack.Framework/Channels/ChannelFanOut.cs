using Microsoft.Extensions.Logging;

namespace CandyPack.Channels;

/// <summary>
/// A channel's subscribers and the one way its messages reach them, whichever backplane gave them: they are queued
/// under the channel's lock in id order, and this work item, on the thread pool, offers each batch to a snapshot of
/// the subscribers outside the lock. A publisher, the Redis subscription reader and the catch-up only queue and
/// schedule, so none of them ever waits for a subscriber or delivers someone else's messages. At most one run is
/// scheduled or running at a time, which keeps id order.
/// </summary>
/// <remarks>
/// Subscribers are kept in two sets, those who asked for presence's <c>join</c> and <c>leave</c> events (watchers)
/// and those who did not, so a batch of only joins and leaves goes to the watchers, and a storm of N joins costs N
/// times the watchers: neither set is copied because the other one changed. Snapshots are remade only after their set
/// changed, once per batch at most. Large channels are offered in parallel slices, one per core. What waits to be
/// offered is bounded (<see cref="MaxQueuedMessages"/>, <see cref="MaxQueuedBytes"/>).
/// </remarks>
internal sealed class ChannelFanOut(Lock gate, string channel, ILogger logger) : IThreadPoolWorkItem
{
    /// <summary>Messages waiting to be offered, at most: past it a publish here answers 503, and Redis's are given up (see <see cref="EnqueueLocked"/>).</summary>
    public const int MaxQueuedMessages = 10_000;

    /// <summary>Payload bytes waiting to be offered, at most.</summary>
    public const long MaxQueuedBytes = 16L * 1024 * 1024;

    /// <summary>Below this many subscribers, one thread offers to all: splitting costs more than it saves.</summary>
    private const int ParallelThreshold = 2048;

    private readonly HashSet<ChannelSubscriber> _watchers = [];
    private readonly HashSet<ChannelSubscriber> _hiders = [];
    private readonly Queue<ChannelHistoryEntry> _queued = new();
    private long _queuedBytes;
    private ChannelSubscriber[] _everyone = [];
    private ChannelSubscriber[] _watching = [];
    private bool _everyoneChanged;
    private bool _watchingChanged;
    private bool _overflowed;
    private bool _scheduled;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Called under the channel's lock: true when a message published here must wait, as too much already does.</summary>
    public bool IsFullLocked => _queued.Count >= MaxQueuedMessages || _queuedBytes >= MaxQueuedBytes;

    /// <summary>Called under the channel's lock.</summary>
    public void Add(ChannelSubscriber subscriber)
    {
        var set = subscriber.HidesJoinLeave ? _hiders : _watchers;
        if (set.Add(subscriber))
        {
            Changed(subscriber);
        }
    }

    /// <summary>Called under the channel's lock.</summary>
    public void Remove(ChannelSubscriber subscriber)
    {
        var set = subscriber.HidesJoinLeave ? _hiders : _watchers;
        if (set.Remove(subscriber))
        {
            Changed(subscriber);
        }
    }

    /// <summary>Called under the channel's lock: the subscribers now.</summary>
    public ChannelSubscriber[] Snapshot() => [.. _watchers, .. _hiders];

    /// <summary>
    /// Called under the channel's lock, in id order: queues the message for this instance's subscribers and makes sure
    /// a run follows. Past the bound (only a backplane's messages get here then: a publish here checks
    /// <see cref="IsFullLocked"/> first) the queue is given up and every subscriber is disconnected, to resume from
    /// the history with its last id: memory stays bounded and nothing is lost that the history holds.
    /// </summary>
    public void EnqueueLocked(in ChannelHistoryEntry entry)
    {
        if (_watchers.Count + _hiders.Count == 0)
        {
            return;
        }

        if (IsFullLocked)
        {
            _queued.Clear();
            _queuedBytes = 0;
            _overflowed = true;
        }
        else
        {
            _queued.Enqueue(entry);
            _queuedBytes += entry.Message.Payload.Length;
        }

        if (!_scheduled)
        {
            // On the publisher's own queue when it is a pool thread: the run follows as soon as the publisher lets go
            // (or an idle thread takes it), where the global queue put it behind every socket completion waiting there.
            _scheduled = true;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    /// <summary>One batch: everything queued now. More queued meanwhile is another run, so a busy channel shares the pool.</summary>
    public void Execute()
    {
        ChannelHistoryEntry[] batch;
        ChannelSubscriber[] subscribers;
        bool hasJoinOrLeave;
        bool overflowed;
        lock (gate)
        {
            batch = [.. _queued];
            _queued.Clear();
            _queuedBytes = 0;
            overflowed = _overflowed;
            _overflowed = false;
            if (batch.Length == 0 && !overflowed)
            {
                _scheduled = false;
                return;
            }

            // Looked at once per batch, and only where someone hides join/leave (a presence channel).
            var (any, all) = _hiders.Count == 0 ? (false, false) : JoinOrLeave(batch);
            hasJoinOrLeave = any;
            subscribers = all && !overflowed ? Watching() : Everyone();
        }

        try
        {
            if (overflowed)
            {
                logger.LogWarning(
                    "Channel {Channel}: more than {Messages} messages or {Bytes} bytes waited for this instance's subscribers; they are disconnected to resume from the history",
                    channel,
                    MaxQueuedMessages,
                    MaxQueuedBytes);
                foreach (var subscriber in subscribers)
                {
                    subscriber.Stream.AskToReconnect();
                }
            }
            else
            {
                Offer(batch, subscribers, hasJoinOrLeave);
            }
        }
        catch (Exception e)
        {
            // Nothing awaits a work item: reported here, or the failure would end the process.
            logger.LogError(e, "Channel {Channel}: delivering messages to this instance's subscribers failed", channel);
        }
        finally
        {
            // Run again for what came meanwhile (the flag stays set, so no one else schedules), or let go.
            bool again;
            lock (gate)
            {
                again = _scheduled = _queued.Count > 0 || _overflowed;
            }

            if (again)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
    }

    private void Changed(ChannelSubscriber subscriber)
    {
        _everyoneChanged = true;
        _watchingChanged |= !subscriber.HidesJoinLeave;
        Volatile.Write(ref _count, _watchers.Count + _hiders.Count);
    }

    private ChannelSubscriber[] Everyone()
    {
        if (_everyoneChanged)
        {
            _everyone = Snapshot();
            _everyoneChanged = false;
        }

        return _everyone;
    }

    private ChannelSubscriber[] Watching()
    {
        if (_watchingChanged)
        {
            _watching = [.. _watchers];
            _watchingChanged = false;
        }

        return _watching;
    }

    /// <summary>Whether the batch holds any presence <c>join</c>/<c>leave</c> event, and whether it holds nothing else.</summary>
    private static (bool Any, bool All) JoinOrLeave(ChannelHistoryEntry[] batch)
    {
        var count = 0;
        foreach (var entry in batch)
        {
            count += ChannelSubscriber.IsJoinOrLeave(entry.Message) ? 1 : 0;
        }

        return (count > 0, count == batch.Length);
    }

    private static void Offer(ChannelHistoryEntry[] batch, ChannelSubscriber[] subscribers, bool hasJoinOrLeave)
    {
        if (subscribers.Length < ParallelThreshold)
        {
            OfferSlice(batch, subscribers, hasJoinOrLeave);
            return;
        }

        var slices = Math.Min(Environment.ProcessorCount, subscribers.Length / (ParallelThreshold / 2));
        var size = (subscribers.Length + slices - 1) / slices;
        Parallel.For(0, slices, slice =>
        {
            var start = slice * size;
            OfferSlice(batch, subscribers.AsSpan(start, Math.Min(size, subscribers.Length - start)), hasJoinOrLeave);
        });
    }

    private static void OfferSlice(ChannelHistoryEntry[] batch, ReadOnlySpan<ChannelSubscriber> subscribers, bool hasJoinOrLeave)
    {
        List<Exception>? failures = null;
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber.Offer(batch, hasJoinOrLeave);
            }
            catch (Exception e)
            {
                // One subscriber's failure (a close handler that throws, say) costs the others nothing: they still get the batch.
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException($"Offering {batch.Length} message(s) failed for {failures.Count} of {subscribers.Length} subscribers", failures);
        }
    }
}
