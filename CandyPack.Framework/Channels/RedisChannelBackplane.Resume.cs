using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>Resuming a client from the shared stream, whichever instance gave its last id.</summary>
internal sealed partial class RedisChannelBackplane
{
    /// <summary>
    /// What a client that last saw <paramref name="after"/> missed, read from the shared stream up to the newest id
    /// delivered here (later ones reach the client live); <see langword="null"/> when the channel is not shared now,
    /// so the caller falls back to this instance's history.
    /// </summary>
    public async Task<ChannelReplay?> TryReadAfterAsync(ChannelState state, ChannelMessageId after, long oldestAllowed)
    {
        if (!_links.TryGetValue(state, out var link) || !IsShared(link))
        {
            return null;
        }

        if (state.LastBackplaneId.IsNone)
        {
            // The channel is new here (this instance may have just started): learn where the stream is first.
            await TrackAsync(link);
        }

        var upTo = state.LastBackplaneId;
        var from = after.StreamId;
        if (from.IsNone || upTo.IsNone || from > upTo)
        {
            // A plain id newer than this instance has delivered: what follows it comes live. Anything else cannot be
            // placed in the stream.
            return after.Origin is null && !upTo.IsNone ? new ChannelReplay(false, [], after) : ChannelReplay.ResetTo(upTo);
        }

        try
        {
            var database = _redis.GetDatabase();
            var entries = await database.StreamRangeAsync(Key(state), from.ToString(), upTo.ToString());
            if (entries.Length == 0 || RedisChannelWire.Id(entries[0]) != from)
            {
                return ChannelReplay.ResetTo(upTo);
            }

            var messages = entries.Skip(1).Select(RedisChannelWire.Read).ToList();
            var seen = after.Origin is null ? null : await SeenFromOriginAsync(database, state, after, messages);
            if (seen is not null && !seen.Contains(after.Local))
            {
                // The instance that gave the id has not shared the message yet: exactness is impossible.
                return ChannelReplay.ResetTo(upTo);
            }

            var missed = messages.Where(m => seen is null || m.Origin != after.Origin || !seen.Contains(m.Number)).ToList();
            if (missed.Count > 0 && missed[0].Id.Time < oldestAllowed)
            {
                return ChannelReplay.ResetTo(upTo);
            }

            var now = _hub.Now;
            return new ChannelReplay(false, [.. missed.Select(m => ChannelState.Entry(m.Id, m.Payload, m.Event, m.IsText, now))], RedisChannelWire.Id(entries[^1]));
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Degrade(e, _redis.Configuration);
            return null;
        }
    }

    private static bool IsShared(RedisChannelLink link)
    {
        lock (link.Gate)
        {
            return link.Mode == RedisChannelMode.ThroughRedis;
        }
    }

    /// <summary>
    /// The numbers of the messages of <paramref name="after"/>'s origin, up to its local number, that the client has
    /// seen: those its origin delivered first (during the outage), told by the entry or, for an append that timed out
    /// and ran anyway, by the set the catch-up wrote.
    /// </summary>
    private async Task<HashSet<long>> SeenFromOriginAsync(IDatabase database, ChannelState state, ChannelMessageId after, List<RedisMessage> messages)
    {
        var seen = new HashSet<long>();
        var unsure = new List<long>();
        foreach (var message in messages)
        {
            if (message.Origin == after.Origin && message.Number <= after.Local)
            {
                (message.DeliveredFirst ? seen : (ICollection<long>)unsure).Add(message.Number);
            }
        }

        if (unsure.Count > 0)
        {
            var members = await database.SetContainsAsync(FirstHereKey(state), [.. unsure.Select(n => (RedisValue)FirstHereMember(after.Origin!, n))]);
            for (var i = 0; i < unsure.Count; i++)
            {
                if (members[i])
                {
                    seen.Add(unsure[i]);
                }
            }
        }

        return seen;
    }
}
