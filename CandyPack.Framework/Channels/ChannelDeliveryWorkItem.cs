using Microsoft.Extensions.Logging;

namespace CandyPack.Channels;

/// <summary>
/// Fans a channel's queued messages out on the thread pool, for the Redis backplane. The backplane fixes their order
/// under its per-channel gate, and its subscription reader and catch-up loop serve every channel, so none of them
/// may wait for subscribers: they queue, schedule this, and move on. At most one run is waiting at a time, however
/// many messages arrive meanwhile; the fan-out's own deliverer flag keeps one delivery at a time and id order.
/// </summary>
internal sealed class ChannelDeliveryWorkItem(ChannelFanOut fanOut, string channel, ILogger logger) : IThreadPoolWorkItem
{
    private int _scheduled;

    /// <summary>Schedules a run for a channel, making its work item on first use: channels without Redis never need one.</summary>
    public static void Schedule(ref ChannelDeliveryWorkItem? item, ChannelFanOut fanOut, string channel, ILogger logger)
    {
        var existing = Volatile.Read(ref item);
        if (existing is null)
        {
            var made = new ChannelDeliveryWorkItem(fanOut, channel, logger);
            existing = Interlocked.CompareExchange(ref item, made, null) ?? made;
        }

        existing.Schedule();
    }

    /// <summary>Called after messages were queued: makes sure a run follows.</summary>
    public void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public void Execute()
    {
        // Cleared before delivering, with a full fence: a message queued from here on schedules the next run.
        Interlocked.Exchange(ref _scheduled, 0);
        try
        {
            fanOut.Deliver();
        }
        catch (Exception e)
        {
            // Nothing awaits a work item: reported here, or the failure would end the process.
            logger.LogError(e, "Channel {Channel}: delivering messages to this instance's subscribers failed", channel);
        }
    }
}
