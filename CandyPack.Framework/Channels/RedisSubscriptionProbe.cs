using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// Tells whether the backplane's subscription hears: a probe is a pub/sub message with an empty channel name (which
/// no channel has) and a nonce, and the subscription hears again once the newest probe sent comes back.
/// </summary>
internal sealed class RedisSubscriptionProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private Probe? _probe;

    /// <summary>Publishes a probe; <see langword="true"/> once it is heard, <see langword="false"/> when it is not within <see cref="Timeout"/>.</summary>
    public async Task<bool> SendAsync(ISubscriber subscriber, RedisChannel pubSub)
    {
        var nonce = Guid.NewGuid().ToString("N");
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _probe, new Probe(nonce, heard));
        await subscriber.PublishAsync(pubSub, "\n" + nonce);
        try
        {
            await heard.Task.WaitAsync(Timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Whether a pub/sub message is a probe (of this instance or another); notes the newest one as heard.</summary>
    public bool IsProbe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != (byte)'\n')
        {
            return false;
        }

        if (Volatile.Read(ref _probe) is { } probe && System.Text.Encoding.ASCII.GetString(bytes[1..]) == probe.Nonce)
        {
            probe.Heard.TrySetResult();
        }

        return true;
    }

    private sealed record Probe(string Nonce, TaskCompletionSource Heard);
}
