using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Channels;

/// <summary>
/// The channels a site holds on this instance, by name: made on first use, dropped once idle, and capped by
/// <c>channels.maxChannels</c>. At the cap a channel that holds nothing (no subscriber, no history) gives way, so a
/// flood of names never locks out a channel with subscribers or history.
/// </summary>
internal sealed class ChannelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);
    private readonly ChannelHub _hub;
    private readonly int _maxChannels;
    private readonly ChannelNamespaces _namespaces;
    private readonly ITimer _sweeper;
    private long _lastWalk = long.MinValue / 2;
    private int _lastFreed;
    private int _count;

    public ChannelRegistry(ChannelHub hub, ChannelOptions options, TimeProvider time)
    {
        _hub = hub;
        _maxChannels = options.MaxChannels;
        _namespaces = hub.Namespaces;

        // Each channel is dropped after its namespace's idle time (see ChannelNamespace); the sweep looks often enough for the shortest.
        var idle = TimeSpan.FromMilliseconds(_namespaces.All.Min(n => n.IdleMilliseconds == long.MaxValue ? ChannelOptions.DefaultIdleSeconds * 1000 : n.IdleMilliseconds));
        var sweep = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 2, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _sweeper = time.CreateTimer(static s => ((ChannelRegistry)s!).Sweep(), this, sweep, sweep);
    }

    /// <summary>Channels held now.</summary>
    public int Count => Volatile.Read(ref _count);

    public ICollection<ChannelState> All => _channels.Values;

    public bool TryGet(string name, out ChannelState state) => _channels.TryGetValue(name, out state!);

    /// <summary>The live state of channel <paramref name="name"/>, made now if none is held.</summary>
    /// <exception cref="BadHttpRequestException">The site holds <c>channels.maxChannels</c> channels that all have subscribers or history (503).</exception>
    public ChannelState Open(string name)
    {
        while (true)
        {
            if (_channels.TryGetValue(name, out var existing))
            {
                if (!existing.Retired)
                {
                    return existing;
                }

                Forget(name, existing);
                continue;
            }

            if (_maxChannels > 0 && Count >= _maxChannels)
            {
                MakeRoom(name);
            }

            var state = new ChannelState(_hub, name, _namespaces.For(name).History);
            if (_channels.TryAdd(name, state))
            {
                Interlocked.Increment(ref _count);
                _hub.Redis?.Track(state);
                return state;
            }
        }
    }

    /// <summary>Drops every channel with no subscribers that has been idle too long, so the registry shrinks back.</summary>
    public void Sweep() => Sweep(emptyAtOnce: false);

    public void Dispose() => _sweeper.Dispose();

    /// <summary>
    /// At the cap: drops the channels that hold nothing and the idle ones, before refusing. A channel with subscribers or
    /// history is never dropped for room. The walk visits every channel, so it is taken again at once only while the
    /// last one freed a good share of the cap (each opening then pays for a few visits), else at most once a second: a
    /// flood of names at a full cap must not walk every channel each.
    /// </summary>
    private void MakeRoom(string name)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWalk);
        var worthWalking = Volatile.Read(ref _lastFreed) >= Math.Max(1, _maxChannels / 16) || now - last >= 1000;
        if (worthWalking && Interlocked.CompareExchange(ref _lastWalk, now, last) == last)
        {
            var before = Count;
            Sweep(emptyAtOnce: true);
            Volatile.Write(ref _lastFreed, Math.Max(0, before - Count));
        }

        if (Count >= _maxChannels)
        {
            throw new BadHttpRequestException(
                $"Site {_hub.Site} holds {Count} channels with subscribers or history, its limit (channels.maxChannels); channel '{name}' cannot be opened until idle ones expire.",
                StatusCodes.Status503ServiceUnavailable);
        }
    }

    private void Sweep(bool emptyAtOnce)
    {
        try
        {
            var now = _hub.Now;
            foreach (var pair in _channels)
            {
                if (pair.Value.TryRetire(now, _namespaces.For(pair.Key).IdleMilliseconds, emptyAtOnce))
                {
                    Forget(pair.Key, pair.Value);
                }
            }
        }
        catch (Exception e)
        {
            _hub.Logger.LogError(e, "Site {Site}: dropping idle channels failed", _hub.Site);
        }
    }

    private void Forget(string name, ChannelState state)
    {
        if (_channels.TryRemove(KeyValuePair.Create(name, state)))
        {
            Interlocked.Decrement(ref _count);
            _hub.Redis?.Untrack(state);
        }
    }
}
