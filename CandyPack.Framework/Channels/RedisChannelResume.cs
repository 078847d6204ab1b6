namespace CandyPack.Channels;

/// <summary>Resuming a client from a channel's shared stream, whichever instance gave its last id.</summary>
internal sealed class RedisChannelResume(RedisChannelBackplane backplane)
{
    /// <summary>
    /// What a client that last saw <paramref name="after"/> missed, read from the shared stream up to the newest id
    /// delivered here (later ones reach the client live); <see langword="null"/> when the channel is not shared now,
    /// so the caller falls back to this instance's history.
    /// </summary>
    public async Task<ChannelReplay?> TryReadAfterAsync(RedisChannelLink link, ChannelMessageId after, long oldestAllowed)
    {
        if (link.Mode != RedisChannelMode.ThroughRedis)
        {
            return null;
        }

        if (link.LastSharedId.IsNone)
        {
            // The channel is new here (this instance may have just started): learn where the stream is first.
            await backplane.LearnWhereAsync(link);
        }

        var upTo = link.LastSharedId;
        var from = after.StreamId;
        if (from.IsNone || upTo.IsNone || from > upTo)
        {
            // A plain id newer than this instance has delivered: what follows it comes live. Anything else cannot be
            // placed in the stream.
            return after.Origin is null && !upTo.IsNone ? new ChannelReplay(false, [], after) : ChannelReplay.ResetTo(upTo);
        }

        try
        {
            var channel = link.State.Name;
            var entries = await backplane.Streams.RangeAsync(channel, from.ToString(), upTo.ToString());
            if (entries.Length == 0 || RedisChannelWire.Id(entries[0]) != from)
            {
                return ChannelReplay.ResetTo(upTo);
            }

            var messages = entries.Skip(1).Select(RedisChannelWire.Read).ToList();
            var seen = after.Origin is null ? null : await SeenFromOriginAsync(channel, after, messages);
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

            var now = backplane.Now;
            return new ChannelReplay(false, [.. missed.Select(m => ChannelState.Entry(m.Id, m.Payload, m.Event, m.IsText, now))], RedisChannelWire.Id(entries[^1]));
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            backplane.Degrade(e);
            return null;
        }
    }

    /// <summary>
    /// The numbers of the messages of <paramref name="after"/>'s origin, up to its local number, that the client has
    /// seen: those its origin delivered first (during the outage), told by the entry or, for an append that timed out
    /// and ran anyway, by the set the catch-up wrote.
    /// </summary>
    private async Task<HashSet<long>> SeenFromOriginAsync(string channel, ChannelMessageId after, List<RedisMessage> messages)
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
            var members = await backplane.Streams.WereDeliveredFirstAsync(channel, after.Origin!, unsure);
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
