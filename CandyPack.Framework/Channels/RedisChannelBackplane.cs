using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// Carries a site's channel messages between host instances through Redis. A Lua script appends each message to
/// the channel's stream (<c>XADD</c> with <c>MAXLEN</c>, which gives the id and keeps the shared history) and
/// publishes it in the same atomic step, so every instance receives messages in id order. While Redis is away,
/// messages are delivered locally and kept in an outbox; when it returns, each channel catches up from its stream
/// and the outbox is appended.
/// </summary>
internal sealed class RedisChannelBackplane : IDisposable
{
    private const int OutboxLimit = 10_000;

    private readonly ChannelHub _hub;
    private readonly ConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly string _pubSubName;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<(ChannelState State, string Payload, string? Event)> _outbox = new();
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private int _down;
    private int _subscribed;

    private RedisChannelBackplane(ChannelHub hub, ConnectionMultiplexer redis)
    {
        _hub = hub;
        _redis = redis;
        _prefix = "candy:" + hub.Site + ":channel:";
        _pubSubName = "candy:" + hub.Site + ":channels";
        redis.ConnectionFailed += (_, e) => ReportDown(e.Exception, $"{e.EndPoint} ({e.ConnectionType}: {e.FailureType})");
        redis.ConnectionRestored += (_, e) => _ = RestoredAsync(e.ConnectionType);
    }

    public bool IsConnected => _redis.IsConnected;

    /// <summary>Both connections are up: commands and the subscription that brings other instances' messages.</summary>
    private bool FullyConnected => _redis.IsConnected && _redis.GetSubscriber().IsConnected(RedisChannel.Literal(_pubSubName));

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
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ClientName ??= "candypack-" + hub.Site;
        var backplane = new RedisChannelBackplane(hub, ConnectionMultiplexer.Connect(options));
        if (backplane._redis.IsConnected)
        {
            hub.Logger.LogInformation("Channels of site {Site} use Redis at {Redis}", hub.Site, configuration);
        }
        else
        {
            backplane.ReportDown(null, configuration);
        }

        backplane.TrySubscribe();
        return backplane;
    }

    /// <summary>Learns where the channel's stream is, so a catch-up after a reconnect knows where to start.</summary>
    public void Track(ChannelState state) => _ = TrackAsync(state);

    public Task<string> PublishAsync(ChannelState state, object? data, string? eventName)
    {
        // Serialise before anything is sent, so a value that cannot be serialised throws and nothing goes out.
        var payload = data as string ?? JsonSerializer.Serialize(data, data?.GetType() ?? typeof(object), _hub.Json);
        return PublishCoreAsync(state, payload, eventName);
    }

    /// <summary>
    /// What a client that last saw <paramref name="after"/> missed, read from the shared stream; <see langword="null"/>
    /// when Redis cannot be reached, so the caller falls back to this instance's history.
    /// </summary>
    public async Task<ChannelReplay?> TryReadAfterAsync(ChannelState state, ChannelMessageId after, long oldestAllowed)
    {
        if (!IsConnected)
        {
            return null;
        }

        try
        {
            var database = _redis.GetDatabase();
            var key = Key(state);
            var entries = await database.StreamRangeAsync(key, after.ToString(), "+");
            if (entries.Length == 0 || RedisChannelWire.Id(entries[0]) != after)
            {
                var newest = await database.StreamRangeAsync(key, "-", "+", 1, Order.Descending);
                return ChannelReplay.ResetTo(newest.Length == 0 ? ChannelMessageId.None : RedisChannelWire.Id(newest[0]));
            }

            if (entries.Length > 1 && RedisChannelWire.Id(entries[1]).Time < oldestAllowed)
            {
                return ChannelReplay.ResetTo(RedisChannelWire.Id(entries[^1]));
            }

            var now = _hub.Now;
            var missed = new List<ChannelHistoryEntry>(entries.Length - 1);
            for (var i = 1; i < entries.Length; i++)
            {
                missed.Add(RedisChannelWire.Entry(entries[i], _hub.Json, now));
            }

            return new ChannelReplay(false, missed, RedisChannelWire.Id(entries[^1]));
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            ReportDown(e, _redis.Configuration);
            return null;
        }
    }

    public void Dispose()
    {
        _redis.Dispose();
        _catchUp.Dispose();
    }

    private async Task<string> PublishCoreAsync(ChannelState state, string payload, string? eventName)
    {
        if (IsConnected && _outbox.IsEmpty)
        {
            try
            {
                // The message reaches this instance's subscribers through the subscription, in the order Redis gave.
                return await AppendAsync(state, payload, eventName, origin: string.Empty);
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                ReportDown(e, _redis.Configuration);
            }
        }

        // Redis is away: local subscribers still get the message now; the other instances get it once Redis is back.
        var id = state.PublishLocal(payload, eventName, _hub.Json, _hub.Now, sameMillisecond: true);
        if (_outbox.Count < OutboxLimit)
        {
            _outbox.Enqueue((state, payload, eventName));
        }
        else
        {
            _hub.Logger.LogError(
                "Channel {Channel}: {Limit} messages are already waiting for Redis; message {Id} reached this instance's subscribers only",
                state.Name, OutboxLimit, id);
        }

        if (IsConnected)
        {
            // Redis came back while the outbox was being appended: append this one too, after the others.
            _ = DrainOutboxAsync();
        }

        return id.ToString();
    }

    private async Task DrainOutboxAsync()
    {
        try
        {
            await _catchUp.WaitAsync();
            try
            {
                await AppendOutboxAsync();
            }
            finally
            {
                _catchUp.Release();
            }
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            ReportDown(e, _redis.Configuration);
        }
        catch (ObjectDisposedException)
        {
            // The site is shutting down.
        }
    }

    private async Task<int> AppendOutboxAsync()
    {
        var appended = 0;
        while (_outbox.TryPeek(out var waiting))
        {
            await AppendAsync(waiting.State, waiting.Payload, waiting.Event, _origin);
            _outbox.TryDequeue(out _);
            appended++;
        }

        return appended;
    }

    private Task<string> AppendAsync(ChannelState state, string payload, string? eventName, string origin) =>
        RedisChannelWire.AppendAsync(_redis.GetDatabase(), Key(state), Math.Max(_hub.HistoryLength, 1), _pubSubName, state.Name, payload, eventName, origin);

    private void OnMessage(ChannelMessage message)
    {
        if (!RedisChannelWire.TryParse(message.Message.ToString(), out var published))
        {
            _hub.Logger.LogWarning("Redis channel {PubSub}: a message that is not a channel message was ignored", _pubSubName);
            return;
        }

        // Only channels this instance knows matter: one someone subscribed to or published on here.
        if (_hub.TryGet(published.Channel, out var state))
        {
            state.DeliverFromBackplane(published.Id, published.Payload, published.Event, _hub.Json, _hub.Now, deliver: published.Origin != _origin);
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
            _redis.GetSubscriber().Subscribe(RedisChannel.Literal(_pubSubName)).OnMessage(OnMessage);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            Volatile.Write(ref _subscribed, 0);
            ReportDown(e, _redis.Configuration);
        }
    }

    private async Task TrackAsync(ChannelState state)
    {
        if (!IsConnected)
        {
            return;
        }

        try
        {
            var newest = await _redis.GetDatabase().StreamRangeAsync(Key(state), "-", "+", 1, Order.Descending);
            if (newest.Length > 0)
            {
                state.NoteBackplaneId(RedisChannelWire.Id(newest[0]));
            }
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            ReportDown(e, _redis.Configuration);
        }
    }

    private void ReportDown(Exception? error, string? where)
    {
        // Logged once per outage; publishing goes on locally meanwhile.
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            _hub.Logger.LogError(
                error,
                "Redis backplane of site {Site} unreachable at {Redis}: channel messages reach this instance's subscribers only until it returns; reconnecting",
                _hub.Site, where);
        }
    }

    private async Task RestoredAsync(ConnectionType connection)
    {
        try
        {
            TrySubscribe();
            if (!_redis.IsConnected)
            {
                return;
            }

            await _catchUp.WaitAsync();
            try
            {
                // The outage ends when both connections are back, so a late failure of the second is not a new outage.
                var wasDown = FullyConnected && Interlocked.Exchange(ref _down, 0) == 1;
                var (caughtUp, appended) = await CatchUpAsync();
                if (wasDown || caughtUp > 0 || appended > 0)
                {
                    _hub.Logger.LogInformation(
                        "Redis backplane of site {Site} is back ({Connection} connection): {CaughtUp} missed messages delivered, {Appended} local messages shared",
                        _hub.Site, connection, caughtUp, appended);
                }

            }
            finally
            {
                _catchUp.Release();
            }
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            ReportDown(e, _redis.Configuration);
        }
        catch (Exception e)
        {
            _hub.Logger.LogError(e, "Redis backplane of site {Site}: catching up after a reconnect failed", _hub.Site);
        }
    }

    /// <summary>Delivers what each channel missed while disconnected, then appends the messages published here meanwhile.</summary>
    private async Task<(int CaughtUp, int Appended)> CatchUpAsync()
    {
        var database = _redis.GetDatabase();
        var caughtUp = 0;
        foreach (var state in _hub.Channels)
        {
            var from = state.LastBackplaneId;
            if (from.IsNone)
            {
                continue;
            }

            var missed = new List<ChannelHistoryEntry>();
            var upTo = from;
            state.BeginCatchUp();
            try
            {
                var entries = await database.StreamRangeAsync(Key(state), "(" + from.ToString(), "+");
                var now = _hub.Now;
                foreach (var entry in entries)
                {
                    upTo = RedisChannelWire.Id(entry);
                    if (RedisChannelWire.Origin(entry) != _origin)
                    {
                        missed.Add(RedisChannelWire.Entry(entry, _hub.Json, now));
                    }
                }
            }
            finally
            {
                state.EndCatchUp(missed, upTo);
            }

            caughtUp += missed.Count;
        }

        return (caughtUp, await AppendOutboxAsync());
    }

    private RedisKey Key(ChannelState state) => _prefix + state.Name;
}
