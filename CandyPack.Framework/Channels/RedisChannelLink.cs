namespace CandyPack.Channels;

/// <summary>
/// One channel's standing with Redis, as a state machine (see <see cref="RedisChannelMode"/>): shared → degraded (Redis
/// away: publishes delivered here first, kept in the outbox) → draining (the outbox appended, publishes behind it) →
/// caught up (what others published meanwhile read back, the subscription held until then) → shared. It owns the
/// outbox, the appends not heard back yet and the newest shared id; the channel keeps only ids, history and
/// subscribers. Its lock is taken before the channel's own, never after. How it notices a pub/sub message it missed
/// while shared is in RedisChannelLink.Gap.cs.
/// </summary>
internal sealed partial class RedisChannelLink
{
    private readonly Lock _gate = new();
    private readonly RedisChannelBackplane _backplane;
    private readonly Queue<(ChannelMessageId Id, RedisMessage Message)> _undelivered = new();
    private volatile RedisChannelMode _mode;
    private ChannelMessageId _lastSharedId;

    // The newest id taken from the subscription or read back from the stream; the newest shared id can be further on,
    // where a read of the stream found it before the subscription brought what came before (see TakeShared).
    private ChannelMessageId _heardId;
    private List<Heard>? _held;
    private Task<string> _tail = Task.FromResult(string.Empty);
    private int _stops;

    public RedisChannelLink(ChannelState state, RedisChannelBackplane backplane, long createdAt, bool shared)
    {
        State = state;
        CreatedAt = createdAt;
        _backplane = backplane;
        _mode = shared ? RedisChannelMode.ThroughRedis : RedisChannelMode.Degraded;
    }

    public ChannelState State { get; }

    public RedisChannelOutbox Outbox { get; } = new();

    /// <summary>When this instance first used the channel (Unix milliseconds): where a catch-up starts if Redis never told it more.</summary>
    public long CreatedAt { get; }

    /// <summary>Where the channel stands now (written under the gate, read without it).</summary>
    public RedisChannelMode Mode => _mode;

    /// <summary>The newest id this instance took from the channel's stream: a catch-up reads on from it.</summary>
    public ChannelMessageId LastSharedId
    {
        get
        {
            lock (_gate)
            {
                return _lastSharedId;
            }
        }
    }

    /// <summary>Appends through Redis, or while it is away delivers here first and keeps the message; publish order holds either way.</summary>
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">503: Redis is away and the outbox is full; the message was not published.</exception>
    public Task<string> PublishAsync(ReadOnlyMemory<byte> payload, string? eventName, bool isText)
    {
        lock (_gate)
        {
            // The number is taken under the gate, so numbers rise in this channel's publish order.
            var message = new RedisMessage(ChannelMessageId.None, payload, eventName, _backplane.Origin, _backplane.NextNumber(), DeliveredFirst: false, IsText: isText);
            var previous = _tail;

            // While the outbox drains, a publish is appended behind it, so the outbox only shrinks.
            var published = _mode == RedisChannelMode.Degraded ? DeliverHereAfterAsync(message, previous, inDoubt: false) : AppendAsync(message, previous);
            _tail = published;
            return published;
        }
    }

    /// <summary>
    /// A message the subscription heard, with its position (the id of the entry before it in the stream); while the
    /// channel is not shared the catch-up reads it back instead.
    /// </summary>
    public void Receive(in ChannelHistoryEntry entry, string origin, long number, ChannelMessageId previous)
    {
        lock (_gate)
        {
            if (_mode != RedisChannelMode.ThroughRedis)
            {
                return;
            }

            TakeShared(new Heard(entry, previous, IsDeliverable(origin, number)));
            ForgetDelivered();
        }
    }

    /// <summary>Notes where the channel's stream is, once this instance has read it: a catch-up starts after it.</summary>
    public void NoteSharedId(ChannelMessageId id)
    {
        lock (_gate)
        {
            if (id > _lastSharedId)
            {
                _lastSharedId = id;
            }
        }
    }

    /// <summary>Redis is away: publishes are delivered here from now on, after what Redis appended but this instance has not heard back.</summary>
    public void StopSharing()
    {
        lock (_gate)
        {
            StopSharingLocked();
        }
    }

    /// <summary>Starts a catch-up; returns a mark that tells its later steps whether the channel stopped sharing since.</summary>
    public int BeginCatchUp() => Volatile.Read(ref _stops);

    /// <summary>
    /// The next step of a catch-up begun at <paramref name="mark"/>: the outbox's appends started under the gate, so later
    /// publishes go behind them; once it is empty, the channel shared, the subscription held until <see cref="FinishCatchUp"/>.
    /// </summary>
    public RedisDrainStep Drain(int mark, Func<RedisMessage[], Task> append)
    {
        lock (_gate)
        {
            if (mark != _stops)
            {
                return new RedisDrainStep(RedisDrainOutcome.StoppedSharing, [], Task.CompletedTask, []);
            }

            if (Outbox.Count == 0)
            {
                if (State.Retired)
                {
                    return new RedisDrainStep(RedisDrainOutcome.Retired, [], Task.CompletedTask, []);
                }

                _mode = RedisChannelMode.ThroughRedis;
                _held ??= [];
                return new RedisDrainStep(RedisDrainOutcome.Shared, [], Task.CompletedTask, Outbox.DeliveredHere());
            }

            _mode = RedisChannelMode.Draining;
            var draining = Outbox.Snapshot();
            return new RedisDrainStep(RedisDrainOutcome.Appending, draining, append(draining), []);
        }
    }

    /// <summary>Delivers what was read back (up to <paramref name="readUpTo"/>), then the held messages, in id order, without repeats.</summary>
    public void FinishCatchUp(List<ChannelHistoryEntry> missed, ChannelMessageId readUpTo, HashSet<long> deliveredFirst)
    {
        lock (_gate)
        {
            var held = _held;
            _held = null;
            if (readUpTo > _lastSharedId)
            {
                _lastSharedId = readUpTo;
            }

            if (readUpTo > _heardId)
            {
                _heardId = readUpTo;
            }

            foreach (var entry in missed)
            {
                State.DeliverIfNewer(entry);
            }

            foreach (var heard in held ?? [])
            {
                TakeShared(heard);
            }

            Outbox.ForgetDeliveredHere(deliveredFirst);
            ForgetDelivered();
        }
    }

    /// <summary>A catch-up that failed: held messages are dropped (the next one reads them again) and the channel stops sharing.</summary>
    public void AbandonCatchUp()
    {
        lock (_gate)
        {
            _held = null;
            StopSharingLocked();
        }
    }

    private async Task<string> AppendAsync(RedisMessage message, Task previous)
    {
        ChannelMessageId id;
        try
        {
            // Queued before the first await, under the gate, so appends reach Redis in publish order. This instance's
            // subscribers get the message through the subscription, in the order Redis gave.
            id = await _backplane.Streams.AppendAsync(State.Name, message);
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            // Off the caller's thread first: a failure seen at once would otherwise be handled under this gate, and
            // stopping every channel takes the gates one by one.
            await Task.Yield();

            // Redis may still run the append (a paused server answers late): the catch-up checks before appending again.
            _backplane.Degrade(e);
            await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return DeliverHere(message, inDoubt: true);
        }

        lock (_gate)
        {
            if (id <= _lastSharedId)
            {
                return id.ToString();
            }

            if (_mode != RedisChannelMode.Degraded)
            {
                // Delivered here when the subscription or the catch-up brings it back, or at once if Redis goes away first.
                _undelivered.Enqueue((id, message));
                return id.ToString();
            }
        }

        // Appended, then Redis went away before this instance heard it back: delivered here after the publishes before it.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            return id <= _lastSharedId ? id.ToString() : DeliverHere(message, inDoubt: true);
        }
    }

    private async Task<string> DeliverHereAfterAsync(RedisMessage message, Task previous, bool inDoubt)
    {
        // An earlier publish may still be waiting for Redis; if it ends up delivered here, it goes first.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return DeliverHere(message, inDoubt);
    }

    private string DeliverHere(RedisMessage message, bool inDoubt)
    {
        lock (_gate)
        {
            if (!inDoubt)
            {
                Outbox.EnsureRoom(State.Name);
            }

            if (_mode != RedisChannelMode.Degraded)
            {
                // The channel began to catch up while this publish waited: it must be caught up again to share the message.
                StopSharingLocked();
                _backplane.WakeCatchUp();
            }

            return DeliverHereLocked(message, inDoubt);
        }
    }

    private void StopSharingLocked()
    {
        _mode = RedisChannelMode.Degraded;
        _stops++;

        // A gap being read back is dropped with what waits behind it: the catch-up reads all of it from the stream.
        _gap = null;
        while (_undelivered.TryDequeue(out var appended))
        {
            if (appended.Id > _lastSharedId)
            {
                // Its entry is in the stream: kept in the outbox as in doubt, the catch-up finds it there and does not append it again.
                DeliverHereLocked(appended.Message, inDoubt: true);
            }
        }
    }

    /// <summary>Delivers to this instance's subscribers under an id of this instance that follows the newest shared id (see <see cref="ChannelMessageId"/>), and keeps the message for Redis.</summary>
    private string DeliverHereLocked(RedisMessage message, bool inDoubt)
    {
        var id = ChannelMessageId.FromOrigin(_lastSharedId, message.Origin, message.Number);
        State.Deliver(ChannelState.Entry(id, message.Payload, message.Event, message.IsText, _backplane.Now));
        Outbox.Add(message, inDoubt);
        return id.ToString();
    }

    /// <summary>Under the gate: forgets the appends that reached this instance's subscribers (up to the newest shared id).</summary>
    private void ForgetDelivered()
    {
        while (_undelivered.TryPeek(out var next) && next.Id <= _lastSharedId)
        {
            _undelivered.Dequeue();
        }
    }
}
