using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// The one pub/sub subscription that brings every channel message of the site to this instance, in id order, and
/// whether it hears: see <see cref="RedisSubscriptionProbe"/>.
/// </summary>
internal sealed class RedisChannelSubscription(ConnectionMultiplexer redis, RedisChannel pubSub, ILogger logger, string site)
{
    private readonly RedisSubscriptionProbe _probe = new();
    private readonly ConcurrentDictionary<string, int> _drops = new();
    private readonly Lock _holdGate = new();
    private readonly Dictionary<string, List<RedisMessage>> _held = [];
    private volatile bool _holding;
    private int _subscribed;

    /// <summary>A channel message heard: the channel's name and the message.</summary>
    public event Action<string, RedisMessage>? Received;

    /// <summary>Subscribes unless it has.</summary>
    /// <exception cref="RedisException">Redis is away.</exception>
    public void EnsureSubscribed()
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            // A queue delivers messages one at a time in arrival order, which is id order.
            redis.GetSubscriber().Subscribe(pubSub).OnMessage(OnMessage);
        }
        catch
        {
            Volatile.Write(ref _subscribed, 0);
            throw;
        }
    }

    /// <summary>
    /// Checks with a probe that the subscription hears. The client resubscribes by itself after a reconnect, without
    /// waiting for Redis to confirm: when Redis fails again meanwhile, the subscription can be lost while the client
    /// believes it holds it; then <see cref="SubscribeAgainAsync"/>.
    /// </summary>
    public Task<bool> HearsAsync() => _probe.SendAsync(redis.GetSubscriber(), pubSub);

    /// <summary>
    /// Drops the next <paramref name="count"/> messages heard for <paramref name="channel"/>, as Redis dropping a slow
    /// subscriber's messages or a reconnect hidden in the client would: a loss that cannot be caused from outside,
    /// simulated for tests of gap detection.
    /// </summary>
    internal void DropNext(string channel, int count) => _drops.AddOrUpdate(channel, count, (_, left) => left + count);

    /// <summary>
    /// Holds back what is heard for <paramref name="channel"/> until <see cref="Release"/>, as a subscription connection
    /// that runs behind the command connection would: simulated for tests, since the two cannot be ordered from outside.
    /// </summary>
    internal void Hold(string channel)
    {
        lock (_holdGate)
        {
            _held.TryAdd(channel, []);
            _holding = true;
        }
    }

    /// <summary>Hands on, in order, what <see cref="Hold"/> held back for <paramref name="channel"/>, and stops holding it.</summary>
    internal void Release(string channel)
    {
        lock (_holdGate)
        {
            foreach (var message in _held.Remove(channel, out var held) ? held : [])
            {
                Received?.Invoke(channel, message);
            }

            _holding = _held.Count > 0;
        }
    }

    /// <summary>Makes the subscription anew, for one that did not hear its probe.</summary>
    public async Task SubscribeAgainAsync()
    {
        var subscriber = redis.GetSubscriber();
        await subscriber.UnsubscribeAsync(pubSub);
        (await subscriber.SubscribeAsync(pubSub)).OnMessage(OnMessage);
        logger.LogWarning("Redis backplane of site {Site}: the subscription did not hear its probe and was made again", site);
    }

    private void OnMessage(ChannelMessage received)
    {
        ReadOnlyMemory<byte> bytes = (byte[]?)received.Message ?? [];
        if (_probe.IsProbe(bytes.Span))
        {
            return;
        }

        if (!RedisChannelWire.TryParse(bytes, out var channel, out var message))
        {
            logger.LogWarning("Redis channel {PubSub}: a message that is not a channel message was ignored", pubSub);
            return;
        }

        if (!_drops.IsEmpty && TakeDrop(channel))
        {
            return;
        }

        if (_holding)
        {
            lock (_holdGate)
            {
                if (_held.TryGetValue(channel, out var held))
                {
                    held.Add(message);
                    return;
                }
            }
        }

        Received?.Invoke(channel, message);
    }

    private bool TakeDrop(string channel)
    {
        while (_drops.TryGetValue(channel, out var left))
        {
            if (left <= 1 ? _drops.TryRemove(new KeyValuePair<string, int>(channel, left)) : _drops.TryUpdate(channel, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }
}
