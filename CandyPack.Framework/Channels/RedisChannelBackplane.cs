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
/// Each channel this instance uses has a <see cref="RedisChannelLink"/>, the state machine of where it stands with
/// Redis. When Redis fails or does not answer within <see cref="DefaultTimeoutMilliseconds"/>, every channel stops
/// sharing and delivers here first; <see cref="RedisCatchUp"/> waits for Redis, checks that the subscription hears
/// again, and catches channels up side by side. The backplane itself connects, routes what the subscription hears to
/// its channel, and tells the links when Redis is away. Neither a publisher nor the subscription reader waits for a
/// channel's subscribers: the fan-out runs afterwards on the thread pool.
/// </remarks>
internal sealed class RedisChannelBackplane : IDisposable
{
    /// <summary>How long a Redis command may take (unless the connection string sets <c>asyncTimeout</c>) before Redis counts as away.</summary>
    public const int DefaultTimeoutMilliseconds = 1000;

    private static readonly TimeSpan ReconnectInterval = TimeSpan.FromMilliseconds(250);

    private readonly ChannelHub _hub;
    private readonly ConnectionMultiplexer _redis;
    private readonly ConcurrentDictionary<ChannelState, RedisChannelLink> _links = new();
    private readonly Lock _linksGate = new();
    private readonly Hosting.BackgroundTasks _background;
    private readonly RedisChannelSubscription _subscription;
    private readonly RedisChannelResume _resume;
    private readonly RedisCatchUp _catchUp;
    private long _nextNumber;
    private int _degraded;
    private long _outages;

    private RedisChannelBackplane(ChannelHub hub, ConnectionMultiplexer redis)
    {
        _hub = hub;
        _redis = redis;
        _background = new Hosting.BackgroundTasks(hub.Logger);
        Streams = new RedisChannelStreams(redis, hub.Site, hub.Namespaces);
        _subscription = new RedisChannelSubscription(redis, Streams.PubSub, hub.Logger, hub.Site);
        _subscription.Received += OnMessage;
        _resume = new RedisChannelResume(this);
        Gaps = new RedisGapRecovery(this);
        _catchUp = new RedisCatchUp(this);
        redis.ConnectionFailed += (_, e) => Degrade(e.Exception, $"{e.EndPoint} ({e.ConnectionType}: {e.FailureType})");
        redis.ConnectionRestored += (_, _) =>
        {
            _catchUp.Wake();
            Reconnected?.Invoke();
        };
    }

    public bool IsConnected => _redis.IsConnected;

    /// <summary>Raised when a connection to Redis is restored, for the site's other subscribers to subscribe again if they could not.</summary>
    internal event Action? Reconnected;

    /// <summary>The shared connection's database, for the site's other Redis users (presence, per-user limits, Data Protection keys).</summary>
    public IDatabase Database => _redis.GetDatabase();

    /// <summary>The shared connection's pub/sub, for the site's other Redis users.</summary>
    public ISubscriber Subscriber => _redis.GetSubscriber();

    /// <summary>The pub/sub channel that carries every channel's messages of the site.</summary>
    public RedisChannel PubSubChannel => Streams.PubSub;

    /// <summary>The channels' streams and the commands that reach them.</summary>
    internal RedisChannelStreams Streams { get; }

    /// <summary>This instance's mark on the messages it publishes, new at every start.</summary>
    internal string Origin { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    internal ChannelHub Hub => _hub;

    internal long Now => _hub.Now;

    /// <summary>Whether an outage has not ended yet (some channel may still deliver here first).</summary>
    internal bool IsDegraded => Volatile.Read(ref _degraded) == 1;

    /// <summary>How many times Redis went away since the start; an outage ends only if none began during its catch-up.</summary>
    internal long Outages => Interlocked.Read(ref _outages);

    internal ICollection<RedisChannelLink> Links => _links.Values;

    /// <summary>Reads back what a channel's subscription missed while it stayed shared.</summary>
    internal RedisGapRecovery Gaps { get; }

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

        // Start even when Redis is down, fail commands at once instead of queueing them, and retry four times a second:
        // the client reconnects only on its heartbeat, so with its default of a second publishing came back up to two
        // seconds after Redis. A paused Redis keeps its sockets open, so only a short command timeout (also checked on
        // the heartbeat) keeps publishes from waiting on it.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.HeartbeatInterval = ReconnectInterval;
        options.ReconnectRetryPolicy = new LinearRetry((int)ReconnectInterval.TotalMilliseconds);
        options.ClientName ??= "candypack-" + hub.Site;
        if (!configuration.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = DefaultTimeoutMilliseconds;
        }

        // Synchronous commands get the same bound rather than the client's default of five seconds.
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

        backplane._catchUp.Start();
        return backplane;
    }

    /// <summary>Appends a message through Redis (or, while it is away, delivers it here first); returns its id.</summary>
    public Task<string> PublishAsync(ChannelState state, object? data, string? eventName)
    {
        // Serialise before anything is sent, so a value that cannot be serialised throws and nothing goes out.
        var payload = Streaming.SharedMessage.Serialize(data, _hub.Json);
        return Link(state).PublishAsync(payload, eventName, data is string);
    }

    /// <summary>Resuming a client from the shared stream, whichever instance gave its last id (see <see cref="RedisChannelResume"/>).</summary>
    public Task<ChannelReplay?> TryReadAfterAsync(ChannelState state, ChannelMessageId after, long oldestAllowed) =>
        _links.TryGetValue(state, out var link) ? _resume.TryReadAfterAsync(link, after, oldestAllowed) : Task.FromResult<ChannelReplay?>(null);

    /// <summary>Starts sharing a channel this instance has just begun to use, and learns where its stream is.</summary>
    public void Track(ChannelState state) => Link(state);

    /// <summary>
    /// Lets go of a channel the hub dropped as idle, unless it still holds messages delivered here during an outage:
    /// those wait for the catch-up, which lets go of the channel once they are shared.
    /// </summary>
    public void Untrack(ChannelState state)
    {
        lock (_linksGate)
        {
            if (_links.TryGetValue(state, out var link) && link.Outbox.Count == 0)
            {
                _links.TryRemove(state, out _);
            }
        }
    }

    /// <summary>Lets go of a retired channel whose outbox the catch-up has shared.</summary>
    internal void Release(RedisChannelLink link)
    {
        lock (_linksGate)
        {
            _links.TryRemove(new KeyValuePair<ChannelState, RedisChannelLink>(link.State, link));
        }
    }

    /// <summary>This instance's next number for a message it publishes: one running number, rising within every channel.</summary>
    internal long NextNumber() => Interlocked.Increment(ref _nextNumber);

    /// <summary>Learns where a channel's stream is, so a catch-up or a resume starts after it.</summary>
    internal async Task LearnWhereAsync(RedisChannelLink link)
    {
        try
        {
            link.NoteSharedId(await Streams.NewestIdAsync(link.State.Name));
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Degrade(e);
        }
    }

    /// <summary>Redis failed a command: every channel stops sharing until the catch-up; logged once per outage.</summary>
    internal void Degrade(Exception error) => Degrade(error, _redis.Configuration);

    internal void WakeCatchUp() => _catchUp.Wake();

    /// <summary>The subscription, for tests that lose or hold back what it hears.</summary>
    internal RedisChannelSubscription Subscription => _subscription;

    /// <summary>
    /// Subscribes if needed and checks that the subscription hears; when it does not, every channel reads what it
    /// missed from the stream (the subscription is made anew).
    /// </summary>
    internal async Task<bool> SubscriptionHearsAsync()
    {
        TrySubscribe();
        if (await _subscription.HearsAsync())
        {
            return true;
        }

        Degrade(null, $"{_redis.Configuration} (pub/sub did not hear a probe within {RedisSubscriptionProbe.Timeout.TotalSeconds:0} s)");
        await _subscription.SubscribeAgainAsync();
        return false;
    }

    /// <summary>Ends the outage if every channel is shared again and Redis did not go away since <paramref name="outages"/>.</summary>
    internal bool TryEndOutage(long outages)
    {
        lock (_linksGate)
        {
            return outages == _outages && _links.Values.All(l => l.Mode == RedisChannelMode.ThroughRedis) && Interlocked.Exchange(ref _degraded, 0) == 1;
        }
    }

    public void Dispose()
    {
        _catchUp.Dispose();
        _redis.Dispose();
    }

    /// <summary>Redis is away or not answering: StackExchange.Redis reports a timeout as a <see cref="TimeoutException"/>, not a <see cref="RedisException"/>.</summary>
    internal static bool IsRedisFailure(Exception e) => e is RedisException or RedisTimeoutException;

    private RedisChannelLink Link(ChannelState state)
    {
        if (_links.TryGetValue(state, out var link))
        {
            return link;
        }

        lock (_linksGate)
        {
            if (_links.TryGetValue(state, out link))
            {
                return link;
            }

            link = new RedisChannelLink(state, this, _hub.Now, shared: !IsDegraded);
            _links[state] = link;
        }

        if (link.Mode == RedisChannelMode.ThroughRedis)
        {
            _background.Run(LearnWhereAsync(link), $"Redis backplane of site {_hub.Site}: reading where channel '{state.Name}' is in Redis");
        }

        return link;
    }

    private void OnMessage(string channel, RedisMessage message)
    {
        // Only channels this instance knows matter: one someone subscribed to or published on here.
        if (_hub.TryGet(channel, out var state) && _links.TryGetValue(state, out var link))
        {
            link.Receive(ChannelState.Entry(message.Id, message.Payload, message.Event, message.IsText, _hub.Now), message.Origin, message.Number, message.Previous);
        }
    }

    private void TrySubscribe()
    {
        try
        {
            _subscription.EnsureSubscribed();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            Degrade(e);
        }
    }

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
                link.StopSharing();
            }
        }

        _catchUp.Wake();
    }
}
