using CandyPack.Streaming;
using Microsoft.Extensions.Logging;

namespace CandyPack.Channels;

/// <summary>
/// What a subscriber receives before live messages: what it missed since its <c>Last-Event-ID</c> (or a <c>reset</c>),
/// or a newcomer's recent messages; read from the shared stream with Redis, else from this instance's history. The
/// server API's history reads the same way.
/// </summary>
internal sealed class ChannelReplays(ChannelHub hub)
{
    public async Task ResumeAsync(CandyStream stream, ChannelState state, ChannelSubscriber subscriber, string lastEventId)
    {
        try
        {
            var replay = ChannelMessageId.TryParse(lastEventId, out var after)
                ? await ReadMissedAsync(state, after)
                : ChannelReplay.ResetTo(state.LastId);
            if (replay.Reset)
            {
                hub.Logger.LogDebug("Channel {Channel}: Last-Event-ID {Id} is older than the history; the client gets a reset", state.Name, lastEventId);
                stream.SendReserved(
                    new ChannelResetMessage(state.Name, lastEventId, "The messages after this id are no longer kept; reload the state, then follow live messages."),
                    StreamEvents.Reset,
                    replay.Newest.IsNone ? null : replay.Newest.ToString());
                subscriber.GoLive(replay.Newest);
                return;
            }

            await ReplayAsync(stream, subscriber, replay, after);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stream.Fail(e);
        }
    }

    /// <summary>Writes the replayed messages, then lets the live ones after them through.</summary>
    private static async Task ReplayAsync(CandyStream stream, ChannelSubscriber subscriber, ChannelReplay replay, ChannelMessageId after)
    {
        try
        {
            var upTo = after;
            foreach (var entry in replay.Missed)
            {
                if (subscriber.Hides(entry.Message))
                {
                    upTo = entry.Id;
                    continue;
                }

                if (!await stream.WriteSharedAsync(entry.Message, stream.CancellationToken))
                {
                    return;
                }

                upTo = entry.Id;
            }

            // The replay may end at a newer id than its last message (one read back but already seen by the client).
            subscriber.GoLive(replay.Newest > upTo ? replay.Newest : upTo);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stream.Fail(e);
        }
    }

    /// <summary>What a client that last saw <paramref name="after"/> missed: from the shared stream with Redis, else this instance's history.</summary>
    public async Task<ChannelReplay> ReadMissedAsync(ChannelState state, ChannelMessageId after)
    {
        var oldestAllowed = hub.OldestAllowed(state.Name);
        if (hub.Redis is { } redis && await redis.TryReadAfterAsync(state, after, oldestAllowed) is { } shared)
        {
            return shared;
        }

        var missed = new List<ChannelHistoryEntry>();
        return state.TryReadAfter(after, oldestAllowed, missed, out var newest)
            ? new ChannelReplay(false, missed, newest)
            : ChannelReplay.ResetTo(newest);
    }

    /// <summary>
    /// The newest <paramref name="limit"/> messages, oldest first, within the channel's <c>historyAge</c>: from the shared
    /// stream with Redis (this instance may never have held the channel), else from this instance's history.
    /// </summary>
    public async Task<ChannelReplay> ReadRecentAsync(ChannelState state, int limit)
    {
        var oldestAllowed = hub.OldestAllowed(state.Name);
        if (hub.Redis is { } redis)
        {
            try
            {
                var now = hub.Now;
                var entries = await redis.Streams.NewestAsync(state.Name, limit);
                var messages = entries.Reverse().Select(RedisChannelWire.Read).Where(m => m.Id.Time >= oldestAllowed)
                    .Select(m => ChannelState.Entry(m.Id, m.Payload, m.Event, m.IsText, now)).ToList();
                return new ChannelReplay(false, messages, entries.Length > 0 ? RedisChannelWire.Id(entries[0]) : ChannelMessageId.None);
            }
            catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
            {
                // Redis away: this instance's own history is what the channel's subscribers here would be replayed.
                redis.Degrade(e);
            }
        }

        var local = new List<ChannelHistoryEntry>();
        var newest = state.ReadRecent(limit, oldestAllowed, local);
        return new ChannelReplay(false, local, newest);
    }

    /// <summary>Writes the channel's newest <paramref name="count"/> messages to a newcomer, then lets the live ones after them through.</summary>
    public async Task SendRecentAsync(CandyStream stream, ChannelState state, ChannelSubscriber subscriber, int count)
    {
        try
        {
            await ReplayAsync(stream, subscriber, await ReadRecentAsync(state, count), ChannelMessageId.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stream.Fail(e);
        }
    }
}
