using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CandyPack.Channels;

/// <summary>
/// Reads back, in the background, the entries a channel's subscription missed while it stayed shared (see
/// RedisChannelLink.Gap.cs), and counts each gap in <c>candypack.channel.gaps</c> by how it ended.
/// </summary>
internal sealed class RedisGapRecovery(RedisChannelBackplane backplane)
{
    /// <summary>Reads the entries after <paramref name="after"/> up to <paramref name="upTo"/> and gives them to <paramref name="link"/>; called under its lock.</summary>
    public void Start(RedisChannelLink link, ChannelMessageId after, ChannelMessageId upTo, int mark) =>
        backplane.Hub.Background.Run(ReadAsync(link, after, upTo, mark), $"Redis backplane of site {backplane.Hub.Site}: reading back what channel '{link.State.Name}' missed");

    private async Task ReadAsync(RedisChannelLink link, ChannelMessageId after, ChannelMessageId upTo, int mark)
    {
        // Off the caller's thread, which holds the link's lock.
        await Task.Yield();
        var channel = link.State.Name;
        List<RedisMessage>? missed;
        try
        {
            // From the newest id delivered here (included, to see that the stream still holds it) to the one before the message heard.
            var entries = await backplane.Streams.RangeAsync(channel, after.ToString(), upTo.ToString());
            missed = entries.Length > 0 && RedisChannelWire.Id(entries[0]) == after && RedisChannelWire.Id(entries[^1]) == upTo
                ? [.. entries.Skip(1).Select(RedisChannelWire.Read)]
                : null;
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            // The channel stops sharing, and the catch-up reads the gap with everything else once Redis answers.
            backplane.Degrade(e);
            return;
        }
        catch
        {
            // An entry this framework did not write: nothing can be placed, so the subscribers reconnect (logged by the caller).
            link.FinishGap(mark, upTo, null);
            Count("reset");
            throw;
        }

        if (!link.FinishGap(mark, upTo, missed))
        {
            return;
        }

        if (missed is null)
        {
            Count("reset");
            backplane.Hub.Logger.LogWarning(
                "Channel {Channel}: the Redis subscription missed messages after {Id}, and the stream no longer keeps them; its subscribers on this instance reconnect and get a reset",
                channel, after);
            return;
        }

        Count("recovered");
        backplane.Hub.Logger.LogWarning(
            "Channel {Channel}: the Redis subscription missed {Count} messages after {Id}; read back from the stream and delivered in order",
            channel, missed.Count, after);
    }

    private static void Count(string outcome) => Hosting.CandyMetrics.ChannelGaps.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
