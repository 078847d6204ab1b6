using CandyPack.Streaming;

namespace CandyPack.Channels;

/// <summary>The hub's recent messages: the newest of a channel, which a newcomer receives first and the server API's history lists.</summary>
internal sealed partial class ChannelHub
{
    /// <summary>
    /// The newest <paramref name="limit"/> messages, oldest first, within the channel's <c>historyAge</c>: from the shared
    /// stream with Redis (this instance may never have held the channel), else from this instance's history.
    /// </summary>
    internal async Task<ChannelReplay> ReadRecentAsync(ChannelState state, int limit)
    {
        var oldestAllowed = OldestAllowed(state.Name);
        if (_redis is { } redis)
        {
            try
            {
                var now = Now;
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
    private async Task SendRecentAsync(CandyStream stream, ChannelState state, ChannelSubscriber subscriber, int count)
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
