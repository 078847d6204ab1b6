namespace CandyPack.Channels;

/// <summary>
/// A channel's subscribers and the hand-over of its messages to them. Messages are queued under the channel's lock
/// in id order; whoever finds no delivery running becomes the deliverer and, outside the lock, offers every queued
/// message to a snapshot of the subscribers, so a slow or failing subscriber never holds a publisher on the lock.
/// </summary>
/// <remarks>
/// The set is a hash set (subscribing is O(1), not a copy of all N); the snapshot array is remade only after the set
/// changed, once per delivery at most. Large channels are offered in parallel slices, one per core. A batch of only
/// presence's <c>join</c> and <c>leave</c> events goes to the subscribers who asked for them, so a storm of N joins
/// costs N times the watchers, not N times everyone.
/// </remarks>
internal sealed class ChannelFanOut(Lock gate)
{
    /// <summary>Below this many subscribers, one thread offers to all: splitting costs more than it saves.</summary>
    private const int ParallelThreshold = 2048;

    private readonly HashSet<ChannelSubscriber> _subscribers = [];
    private readonly Queue<ChannelHistoryEntry> _queued = new();
    private ChannelSubscriber[] _snapshot = [];
    private ChannelSubscriber[] _watchers = [];
    private bool _changed;
    private bool _delivering;
    private int _count;

    /// <summary>Subscribers that did not ask for join/leave; while there are none (every channel without presence) the watchers are everyone.</summary>
    private int _hiding;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Called under the channel's lock.</summary>
    public void Add(ChannelSubscriber subscriber)
    {
        if (_subscribers.Add(subscriber))
        {
            _changed = true;
            _hiding += subscriber.HidesJoinLeave ? 1 : 0;
            Volatile.Write(ref _count, _subscribers.Count);
        }
    }

    /// <summary>Called under the channel's lock.</summary>
    public void Remove(ChannelSubscriber subscriber)
    {
        if (_subscribers.Remove(subscriber))
        {
            _changed = true;
            _hiding -= subscriber.HidesJoinLeave ? 1 : 0;
            Volatile.Write(ref _count, _subscribers.Count);
        }
    }

    /// <summary>Called under the channel's lock: the subscribers now.</summary>
    public ChannelSubscriber[] Snapshot() => [.. _subscribers];

    /// <summary>Called under the channel's lock, in id order.</summary>
    public void EnqueueLocked(in ChannelHistoryEntry entry)
    {
        if (_subscribers.Count > 0)
        {
            _queued.Enqueue(entry);
        }
    }

    /// <summary>Called outside the lock after enqueuing: delivers what is queued unless another thread already is.</summary>
    public void Deliver()
    {
        while (true)
        {
            ChannelHistoryEntry[] batch;
            ChannelSubscriber[] subscribers;
            bool hasJoinOrLeave;
            lock (gate)
            {
                if (_delivering || _queued.Count == 0)
                {
                    return;
                }

                _delivering = true;
                batch = [.. _queued];
                _queued.Clear();
                if (_changed)
                {
                    _snapshot = [.. _subscribers];
                    _watchers = _hiding == 0 ? _snapshot : [.. _snapshot.Where(s => !s.HidesJoinLeave)];
                    _changed = false;
                }

                // Looked at once per batch, and only where someone hides join/leave (a presence channel).
                var (any, all) = _hiding == 0 ? (false, false) : JoinOrLeave(batch);
                hasJoinOrLeave = any;
                subscribers = all ? _watchers : _snapshot;
            }

            try
            {
                Offer(batch, subscribers, hasJoinOrLeave);
            }
            finally
            {
                lock (gate)
                {
                    _delivering = false;
                }
            }
        }
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
