using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// The catch-up after a Redis outage, in the background: waits for Redis, checks that the subscription hears again,
/// then takes every channel that is not shared through its <see cref="RedisChannelLink"/>'s steps, side by side so a
/// busy channel holds up no other: the outbox appended in batches (new publishes appended behind it), then everything
/// after the newest shared id read back and delivered, skipping what this instance delivered first.
/// </summary>
internal sealed class RedisCatchUp(RedisChannelBackplane backplane) : IDisposable
{
    // Outbox messages appended per script (many per round trip, each script still short), and channels caught up at once.
    private const int AppendBatch = 200;
    private const int Parallelism = 8;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private ILogger Logger => backplane.Hub.Logger;

    private string Site => backplane.Hub.Site;

    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>Runs a round now rather than at the next retry.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Redis backplane of site {Site}: the catch-up loop failed while shutting down", Site);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(RetryInterval, stop);
                if (backplane.IsDegraded || !backplane.Links.All(l => l.Mode == RedisChannelMode.ThroughRedis))
                {
                    await CatchUpAllAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
            {
                // Still away, or gone again: logged once per outage, retried on the next round.
                backplane.Degrade(e);
            }
            catch (Exception e)
            {
                Logger.LogError(e, "Redis backplane of site {Site}: catching up after an outage failed; retrying", Site);
            }
        }
    }

    private async Task CatchUpAllAsync()
    {
        // Only once a message published now comes back is the subscription known to hear everything published later.
        var outages = backplane.Outages;
        if (!backplane.IsConnected || !await backplane.SubscriptionHearsAsync())
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var (caughtUp, shared) = (0, 0);
        var behind = backplane.Links.Where(l => l.Mode != RedisChannelMode.ThroughRedis).ToList();
        await Parallel.ForEachAsync(behind, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (link, _) =>
        {
            var (c, s) = await CatchUpAsync(link);
            Interlocked.Add(ref caughtUp, c);
            Interlocked.Add(ref shared, s);
        });

        if (backplane.TryEndOutage(outages))
        {
            Logger.LogInformation(
                "Redis backplane of site {Site} is back: {CaughtUp} missed messages delivered, {Shared} local messages shared, every channel caught up in {Milliseconds:0} ms",
                Site, caughtUp, shared, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Catches one channel up; returns how many messages were delivered here and how many shared.</summary>
    private async Task<(int CaughtUp, int Shared)> CatchUpAsync(RedisChannelLink link)
    {
        var mark = link.BeginCatchUp();
        await DropWhatRedisAlreadyHasAsync(link);

        var shared = 0;
        RedisDrainStep step;
        while ((step = link.Drain(mark, messages => AppendAsync(link, messages))).Outcome == RedisDrainOutcome.Appending)
        {
            try
            {
                await step.Appended;
            }
            catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
            {
                link.Outbox.AppendFailed(step.Appending.Length);
                throw;
            }

            link.Outbox.Appended(step.Appending.Length);
            shared += step.Appending.Length;
        }

        if (step.Outcome == RedisDrainOutcome.Retired)
        {
            // Dropped as idle while its outage messages waited: they are shared now, so let go of it.
            backplane.Release(link);
        }

        if (step.Outcome != RedisDrainOutcome.Shared)
        {
            return (0, shared);
        }

        try
        {
            return (await ReadBackAsync(link, step.DeliveredFirst), shared);
        }
        catch
        {
            link.AbandonCatchUp();
            throw;
        }
    }

    private Task AppendAsync(RedisChannelLink link, RedisMessage[] messages) =>
        Task.WhenAll(messages.Chunk(AppendBatch).Select(batch => backplane.Streams.AppendAllAsync(link.State.Name, batch)));

    /// <summary>
    /// An append that timed out may have run after all: such messages are not appended again, and are noted as
    /// delivered first by this instance, so a client resuming elsewhere is not given them twice.
    /// </summary>
    private async Task DropWhatRedisAlreadyHasAsync(RedisChannelLink link)
    {
        var inDoubt = link.Outbox.InDoubt();
        if (inDoubt.Count == 0)
        {
            return;
        }

        var present = new HashSet<long>();
        foreach (var entry in await ReadAfterSharedAsync(link))
        {
            var message = RedisChannelWire.Read(entry);
            if (message.Origin == backplane.Origin && inDoubt.Contains(message.Number))
            {
                present.Add(message.Number);
            }
        }

        if (present.Count > 0)
        {
            await backplane.Streams.NoteDeliveredFirstAsync(link.State.Name, backplane.Origin, present);
            link.Outbox.DropAppended(present);
        }
    }

    /// <summary>Delivers what the channel missed since its newest shared id, skipping what this instance delivered first.</summary>
    private async Task<int> ReadBackAsync(RedisChannelLink link, HashSet<long> deliveredFirst)
    {
        var from = link.LastSharedId;
        var entries = await ReadAfterSharedAsync(link);
        var start = entries.Length > 0 && RedisChannelWire.Id(entries[0]) == from ? 1 : 0;
        if (!from.IsNone && start == 0)
        {
            // The stream no longer reaches back to the newest id delivered here: exactness is impossible, so
            // subscribers reconnect and get a reset for their last id.
            link.FinishCatchUp([], entries.Length > 0 ? RedisChannelWire.Id(entries[^1]) : from, deliveredFirst);
            link.State.AskSubscribersToReconnect();
            Logger.LogWarning(
                "Channel {Channel}: Redis no longer keeps the messages after {Id}; its subscribers on this instance reconnect and get a reset", link.State.Name, from);
            return 0;
        }

        var messages = new RedisMessage[entries.Length - start];
        var lastOwn = -1;
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = RedisChannelWire.Read(entries[i + start]);
            if (IsDeliveredFirst(messages[i], deliveredFirst))
            {
                lastOwn = i;
            }
        }

        // Subscribers here saw this instance's own messages before the ones read back now, though the stream may hold
        // some of them later: until the last of them, ids say so (see ChannelMessageId), so a resume elsewhere is exact.
        var now = backplane.Now;
        var missed = new List<ChannelHistoryEntry>(messages.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            if (!IsDeliveredFirst(message, deliveredFirst))
            {
                var id = i < lastOwn ? ChannelMessageId.FromOrigin(message.Id, backplane.Origin, messages[lastOwn].Number) : message.Id;
                missed.Add(ChannelState.Entry(id, message.Payload, message.Event, message.IsText, now));
            }
        }

        link.FinishCatchUp(missed, messages.Length > 0 ? messages[^1].Id : from, deliveredFirst);
        return missed.Count;
    }

    private bool IsDeliveredFirst(RedisMessage message, HashSet<long> deliveredFirst) =>
        message.Origin == backplane.Origin && deliveredFirst.Contains(message.Number);

    /// <summary>The stream from the channel's newest shared id on (that id included), or from when this instance began using it.</summary>
    private Task<StreamEntry[]> ReadAfterSharedAsync(RedisChannelLink link)
    {
        var from = link.LastSharedId;
        return backplane.Streams.RangeAsync(link.State.Name, from.IsNone ? link.CreatedAt + "-0" : from.ToString(), "+");
    }
}
