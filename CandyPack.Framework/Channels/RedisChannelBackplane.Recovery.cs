using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>The catch-up after an outage: share what was delivered here, then deliver what the others published.</summary>
internal sealed partial class RedisChannelBackplane
{
    private static readonly TimeSpan FirstHereLifetime = TimeSpan.FromDays(1);
    // Outbox messages appended per script (many per round trip, each script still short), and channels caught up at once.
    private const int DrainBatch = 200;
    private const int CatchUpParallelism = 8;

    private async Task RecoverLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(RetryInterval, stop);
                if (Volatile.Read(ref _degraded) == 1 || !_links.Values.All(l => l.Mode == RedisChannelMode.ThroughRedis))
                {
                    await RecoverAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                // Still away, or gone again: logged once per outage, retried on the next round.
                Degrade(e, _redis.Configuration);
            }
            catch (Exception e)
            {
                _hub.Logger.LogError(e, "Redis backplane of site {Site}: catching up after an outage failed; retrying", _hub.Site);
            }
        }
    }

    private async Task RecoverAsync()
    {
        if (!_redis.IsConnected)
        {
            return;
        }

        TrySubscribe();
        long outages;
        lock (_linksGate)
        {
            outages = _outages;
        }

        // Only once a message published now comes back is the subscription known to hear everything published later.
        if (!await _probe.SendAsync(_redis.GetSubscriber(), _pubSub))
        {
            // The client resubscribes by itself after a reconnect, but without waiting for Redis to confirm: when Redis
            // fails again meanwhile, the subscription can be lost while the client believes it holds it. Until a probe
            // is heard every channel reads what it missed from the stream, and the subscription is made anew.
            Degrade(null, $"{_redis.Configuration} (pub/sub did not hear a probe within {RedisSubscriptionProbe.Timeout.TotalSeconds:0} s)");
            await SubscribeAgainAsync();
            return;
        }

        // Channels catch up side by side, so a busy one holds up no other.
        var (caughtUp, shared) = (0, 0);
        var behind = _links.Values.Where(l => l.Mode != RedisChannelMode.ThroughRedis).ToList();
        await Parallel.ForEachAsync(behind, new ParallelOptions { MaxDegreeOfParallelism = CatchUpParallelism }, async (link, _) =>
        {
            var (c, s) = await RecoverAsync(link, outages);
            Interlocked.Add(ref caughtUp, c);
            Interlocked.Add(ref shared, s);
        });

        lock (_linksGate)
        {
            if (outages == _outages && _links.Values.All(l => l.Mode == RedisChannelMode.ThroughRedis) && Interlocked.Exchange(ref _degraded, 0) == 1)
            {
                _hub.Logger.LogInformation(
                    "Redis backplane of site {Site} is back: {CaughtUp} missed messages delivered, {Shared} local messages shared",
                    _hub.Site, caughtUp, shared);
            }
        }
    }

    private async Task SubscribeAgainAsync()
    {
        var subscriber = _redis.GetSubscriber();
        await subscriber.UnsubscribeAsync(_pubSub);
        (await subscriber.SubscribeAsync(_pubSub)).OnMessage(OnMessage);
        _hub.Logger.LogWarning("Redis backplane of site {Site}: the subscription did not hear its probe and was made again", _hub.Site);
    }

    /// <summary>Catches one channel up; returns how many messages were delivered here and how many shared.</summary>
    private async Task<(int CaughtUp, int Shared)> RecoverAsync(RedisChannelLink link, long outages)
    {
        var state = link.State;
        var database = _redis.GetDatabase();
        await DropWhatRedisAlreadyHasAsync(link, database);

        // Append what was delivered here, in order and in batches; once the outbox is empty the channel is shared
        // again, and pub/sub messages wait until what was missed before them is delivered.
        var shared = 0;
        HashSet<long> deliveredHere;
        while (true)
        {
            RedisChannelLink.OutboxMessage[] draining;
            List<Task> appends;
            lock (_linksGate)
            {
                if (outages != _outages)
                {
                    return (0, shared);
                }

                lock (link.Gate)
                {
                    if (link.Outbox.Count == 0)
                    {
                        if (state.Retired)
                        {
                            // Dropped as idle while its outage messages waited: they are shared now, so let go of it.
                            _links.TryRemove(state, out _);
                            return (0, shared);
                        }

                        link.Mode = RedisChannelMode.ThroughRedis;
                        deliveredHere = [.. link.DeliveredHere];
                        state.BeginCatchUp();
                        break;
                    }

                    // Queued under the gate, so publishes from now on are appended behind the whole outbox.
                    link.Mode = RedisChannelMode.Draining;
                    draining = [.. link.Outbox];
                    appends = [.. draining.Chunk(DrainBatch).Select(b => RedisChannelWire.AppendAllAsync(database, Key(state), MaxLength, _pubSub, state.Name, [.. b.Select(m => m.Message)]))];
                }
            }

            try
            {
                await Task.WhenAll(appends);
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                lock (link.Gate)
                {
                    // Some batches may have run: the next catch-up looks in the stream before appending again.
                    foreach (var message in draining)
                    {
                        message.InDoubt = true;
                    }
                }

                throw;
            }

            lock (link.Gate)
            {
                // The outbox only grew behind them (a publish that waited for one that failed), so they are its head.
                for (var i = 0; i < draining.Length; i++)
                {
                    link.Outbox.Dequeue();
                }
            }

            shared += draining.Length;
        }

        try
        {
            var caughtUp = await CatchUpAsync(link, database, deliveredHere);
            lock (link.Gate)
            {
                // Their entries are read; a pub/sub copy that comes later is older than the newest shared id and dropped.
                link.DeliveredHere.ExceptWith(deliveredHere);
                link.ForgetDelivered();
            }

            return (caughtUp, shared);
        }
        catch
        {
            lock (link.Gate)
            {
                state.AbandonCatchUp();
                StopSharing(link);
            }

            throw;
        }
    }

    /// <summary>
    /// An append that timed out may have run after all: such messages are not appended again, and are noted as
    /// delivered first by this instance, so a client resuming elsewhere is not given them twice.
    /// </summary>
    private async Task DropWhatRedisAlreadyHasAsync(RedisChannelLink link, IDatabase database)
    {
        HashSet<long> inDoubt;
        lock (link.Gate)
        {
            inDoubt = [.. link.Outbox.Where(m => m.InDoubt).Select(m => m.Message.Number)];
        }

        if (inDoubt.Count == 0)
        {
            return;
        }

        var present = new HashSet<long>();
        foreach (var entry in await ReadAfterAsync(link, database))
        {
            var message = RedisChannelWire.Read(entry);
            if (message.Origin == _origin && inDoubt.Contains(message.Number))
            {
                present.Add(message.Number);
            }
        }

        if (present.Count == 0)
        {
            return;
        }

        var key = FirstHereKey(link.State);
        await database.SetAddAsync(key, [.. present.Select(n => (RedisValue)FirstHereMember(_origin, n))]);
        await database.KeyExpireAsync(key, FirstHereLifetime);
        lock (link.Gate)
        {
            var kept = link.Outbox.Where(m => !(m.InDoubt && present.Contains(m.Message.Number))).ToList();
            link.Outbox.Clear();
            foreach (var message in kept)
            {
                link.Outbox.Enqueue(message);
            }
        }
    }

    /// <summary>Delivers what the channel missed since its newest shared id, skipping what this instance delivered first.</summary>
    private async Task<int> CatchUpAsync(RedisChannelLink link, IDatabase database, HashSet<long> deliveredHere)
    {
        var state = link.State;
        var from = state.LastBackplaneId;
        var entries = await ReadAfterAsync(link, database);
        var start = entries.Length > 0 && RedisChannelWire.Id(entries[0]) == from ? 1 : 0;
        if (!from.IsNone && start == 0)
        {
            // The stream no longer reaches back to the newest id delivered here: exactness is impossible, so
            // subscribers reconnect and get a reset for their last id.
            state.EndCatchUp([], entries.Length > 0 ? RedisChannelWire.Id(entries[^1]) : from);
            state.AskSubscribersToReconnect();
            _hub.Logger.LogWarning(
                "Channel {Channel}: Redis no longer keeps the messages after {Id}; its subscribers on this instance reconnect and get a reset", state.Name, from);
            return 0;
        }

        var messages = new RedisMessage[entries.Length - start];
        var lastOwn = -1;
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = RedisChannelWire.Read(entries[i + start]);
            if (messages[i].Origin == _origin && deliveredHere.Contains(messages[i].Number))
            {
                lastOwn = i;
            }
        }

        // Subscribers here saw this instance's own messages before the ones read back now, though the stream may hold
        // some of them later: until the last of them, ids say so (see ChannelMessageId), so a resume elsewhere is exact.
        var now = _hub.Now;
        var missed = new List<ChannelHistoryEntry>(messages.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            if (message.Origin == _origin && deliveredHere.Contains(message.Number))
            {
                continue;
            }

            var id = i < lastOwn ? ChannelMessageId.FromOrigin(message.Id, _origin, messages[lastOwn].Number) : message.Id;
            missed.Add(ChannelState.Entry(id, message.Payload, message.Event, message.IsText, now));
        }

        state.EndCatchUp(missed, messages.Length > 0 ? messages[^1].Id : from);
        return missed.Count;
    }

    /// <summary>The stream from the channel's newest shared id on (that id included), or from when this instance began using it.</summary>
    private Task<StreamEntry[]> ReadAfterAsync(RedisChannelLink link, IDatabase database)
    {
        var from = link.State.LastBackplaneId;
        return database.StreamRangeAsync(Key(link.State), from.IsNone ? link.CreatedAt + "-0" : from.ToString(), "+");
    }

    private static string FirstHereMember(string origin, long number) => origin + "." + number;
}
