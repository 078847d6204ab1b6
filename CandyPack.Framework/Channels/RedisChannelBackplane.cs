using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// Carries a site's channel messages between host instances through Redis. A Lua script appends each message to
/// the channel's stream (<c>XADD</c> with <c>MAXLEN</c>, which gives the id and keeps the shared history) and
/// publishes it in the same atomic step, so every instance receives messages in id order.
/// </summary>
/// <remarks>
/// When Redis fails or does not answer within <see cref="DefaultTimeoutMilliseconds"/>, every channel stops sharing:
/// messages are delivered here under ids of this instance (see <see cref="ChannelMessageId"/>) and kept in an
/// outbox, and pub/sub messages are left for the catch-up. A background loop waits for Redis, checks that the
/// subscription hears again, then catches channels up side by side (see <see cref="RedisChannelMode"/>): it appends
/// the outbox in batches, with new publishes appended behind it, reads back everything after the newest shared id
/// it had delivered, and delivers what was published meanwhile, skipping what it delivered itself.
/// Under a channel's <see cref="RedisChannelLink.Gate"/> only order is decided (ids, history, outbox, catch-up);
/// the fan-out to this instance's subscribers runs afterwards on the thread pool, one delivery per channel at a
/// time, so neither a publisher nor the subscription reader waits for a channel's subscribers.
/// </remarks>
internal sealed partial class RedisChannelBackplane : IDisposable
{
    /// <summary>How long a Redis command may take (unless the connection string sets <c>asyncTimeout</c>) before Redis counts as away.</summary>
    public const int DefaultTimeoutMilliseconds = 1000;

    private const int OutboxLimit = 10_000;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly ChannelHub _hub;
    private readonly ConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly string _firstHerePrefix;
    private readonly RedisChannel _pubSub;
    private readonly string _origin = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private readonly ConcurrentDictionary<ChannelState, RedisChannelLink> _links = new();
    private readonly Lock _linksGate = new();
    private long _nextNumber;
    private readonly Hosting.BackgroundTasks _background;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly RedisSubscriptionProbe _probe = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _recovery = Task.CompletedTask;
    private int _degraded;
    private long _outages;
    private int _subscribed;

    private RedisChannelBackplane(ChannelHub hub, ConnectionMultiplexer redis)
    {
        _hub = hub;
        _redis = redis;
        _background = new Hosting.BackgroundTasks(hub.Logger);
        _prefix = "candy:" + hub.Site + ":channel:";
        _firstHerePrefix = "candy:" + hub.Site + ":delivered-first:";
        _pubSub = RedisChannel.Literal("candy:" + hub.Site + ":channels");
        redis.ConnectionFailed += (_, e) => Degrade(e.Exception, $"{e.EndPoint} ({e.ConnectionType}: {e.FailureType})");
        redis.ConnectionRestored += (_, _) => WakeRecovery();
    }

    public bool IsConnected => _redis.IsConnected;

    /// <summary>The shared connection's database, for the site's other Redis users (presence, per-user limits, Data Protection keys).</summary>
    public IDatabase Database => _redis.GetDatabase();

    /// <summary>The shared connection's pub/sub, for the site's other Redis users.</summary>
    public ISubscriber Subscriber => _redis.GetSubscriber();

    /// <summary>The pub/sub channel that carries every channel's messages of the site.</summary>
    public RedisChannel PubSubChannel => _pubSub;

    public static RedisChannelBackplane Connect(ChannelHub hub, string configuration)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            throw new CandyStartupException($"Site {hub.Site}: \"redis\" in config.json is not a Redis connection string ('{configuration}'): {e.Message}", e);
        }

        // Start even when Redis is down, fail commands at once instead of queueing them, and retry every second.
        // A paused Redis keeps its sockets open, so only a short command timeout keeps publishes from waiting on it.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ClientName ??= "candypack-" + hub.Site;
        if (!configuration.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = DefaultTimeoutMilliseconds;
        }

        // The per-user stream count is the one synchronous command (candy.Stream answers at once): it blocks a thread,
        // so it gets the same bound rather than the client's default of five seconds.
        if (!configuration.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.SyncTimeout = DefaultTimeoutMilliseconds;
        }

        var backplane = new RedisChannelBackplane(hub, ConnectionMultiplexer.Connect(options));
        if (backplane._redis.IsConnected)
        {
            backplane.TrySubscribe();
            hub.Logger.LogInformation("Channels of site {Site} use Redis at {Redis}", hub.Site, configuration);
        }
        else
        {
            backplane.Degrade(null, configuration);
        }

        backplane._recovery = backplane.RecoverLoopAsync(backplane._stop.Token);
        return backplane;
    }

    /// <summary>Starts sharing a channel this instance has just begun to use, and learns where its stream is.</summary>
    public void Track(ChannelState state)
    {
        RedisChannelLink link;
        lock (_linksGate)
        {
            if (_links.ContainsKey(state))
            {
                return;
            }

            link = new RedisChannelLink(state, _hub.Now) { Mode = Volatile.Read(ref _degraded) == 0 ? RedisChannelMode.ThroughRedis : RedisChannelMode.Degraded };
            _links[state] = link;
        }

        if (link.Mode == RedisChannelMode.ThroughRedis)
        {
            _background.Run(TrackAsync(link), $"Redis backplane of site {_hub.Site}: reading where channel '{state.Name}' is in Redis");
        }
    }

    /// <summary>
    /// Lets go of a channel the hub dropped as idle, unless it still holds messages delivered here during an outage:
    /// those wait for the catch-up, which lets go of the channel once they are shared.
    /// </summary>
    public void Untrack(ChannelState state)
    {
        lock (_linksGate)
        {
            if (_links.TryGetValue(state, out var link))
            {
                lock (link.Gate)
                {
                    if (link.Outbox.Count == 0)
                    {
                        _links.TryRemove(state, out _);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _recovery.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _hub.Logger.LogError(e, "Redis backplane of site {Site}: the catch-up loop failed while shutting down", _hub.Site);
        }

        _redis.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    private RedisChannelLink Link(ChannelState state)
    {
        if (!_links.TryGetValue(state, out var link))
        {
            Track(state);
            link = _links[state];
        }

        return link;
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
            _hub.Logger.LogWarning("Redis channel {PubSub}: a message that is not a channel message was ignored", _pubSub);
            return;
        }

        // Only channels this instance knows matter: one someone subscribed to or published on here.
        if (!_hub.TryGet(channel, out var state) || !_links.TryGetValue(state, out var link))
        {
            return;
        }

        var entry = ChannelState.Entry(message.Id, message.Payload, message.Event, message.IsText, _hub.Now);
        lock (link.Gate)
        {
            // A channel that is not shared reads this message back from the stream when it catches up.
            if (link.Mode == RedisChannelMode.ThroughRedis)
            {
                var deliveredHere = message.Origin == _origin && link.DeliveredHere.Contains(message.Number);
                link.State.DeliverFromBackplane(entry, deliver: !deliveredHere);
                // Not the message itself: while a catch-up holds messages back, only what was delivered is forgotten.
                link.ForgetDelivered();
            }
        }
    }

    private void TrySubscribe()
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            // A queue delivers messages one at a time in arrival order, which is id order.
            _redis.GetSubscriber().Subscribe(_pubSub).OnMessage(OnMessage);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Volatile.Write(ref _subscribed, 0);
            Degrade(e, _redis.Configuration);
        }
    }

    private async Task TrackAsync(RedisChannelLink link)
    {
        try
        {
            var newest = await _redis.GetDatabase().StreamRangeAsync(Key(link.State), "-", "+", 1, Order.Descending);
            if (newest.Length > 0)
            {
                link.State.NoteBackplaneId(RedisChannelWire.Id(newest[0]));
            }
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Degrade(e, _redis.Configuration);
        }
    }

    /// <summary>Stops sharing every channel until the catch-up; logged once per outage.</summary>
    private void Degrade(Exception? error, string? where)
    {
        lock (_linksGate)
        {
            _outages++;
            if (Interlocked.Exchange(ref _degraded, 1) == 0)
            {
                _hub.Logger.LogError(
                    error,
                    "Redis backplane of site {Site} unreachable at {Redis}: channel messages reach this instance's subscribers only until it returns; reconnecting",
                    _hub.Site, where);
            }

            foreach (var link in _links.Values)
            {
                lock (link.Gate)
                {
                    StopSharing(link);
                }
            }
        }

        WakeRecovery();
    }

    private void WakeRecovery()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Redis is away or not answering: StackExchange.Redis reports a timeout as a <see cref="TimeoutException"/>, not a <see cref="RedisException"/>.</summary>
    internal static bool IsRedisFailure(Exception e) => e is RedisException or RedisTimeoutException;

    private int MaxLength => Math.Max(_hub.HistoryLength, 1);

    private RedisKey Key(ChannelState state) => _prefix + state.Name;

    private RedisKey FirstHereKey(ChannelState state) => _firstHerePrefix + state.Name;
}
