using System.Collections.Concurrent;
using System.Text.Json;
using CandyPack.Channels.Presence;
using CandyPack.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Channels;

/// <summary>
/// A site's channels: publishing, subscribing with resume, authorization, and the backplane that carries messages
/// between host instances (in process, or Redis when <c>"redis"</c> is configured).
/// </summary>
internal sealed partial class ChannelHub : ICandyChannels, IDisposable
{
    private const int MaxNameLength = 200;

    private readonly ConcurrentDictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);
    private readonly ChannelOptions _options;
    private readonly int _pendingLimit;
    private readonly TimeProvider _time;
    private readonly long _idleMilliseconds;
    private readonly ITimer _sweeper;
    private RedisChannelBackplane? _redis;
    private long _lastForcedSweep = long.MinValue / 2;
    private int _count;
    private IChannelAuthorizer[]? _authorizers;

    public ChannelHub(string site, CandyOptions options, ILogger logger, TimeProvider? time = null)
    {
        if (options.Channels.History < 0 || options.Channels.HistoryAge < 0 || options.Channels.MaxChannels < 0)
        {
            throw new CandyStartupException(
                $"Site {site}: channels.history, channels.historyAge and channels.maxChannels must not be negative " +
                $"(they are {options.Channels.History}, {options.Channels.HistoryAge} and {options.Channels.MaxChannels}).");
        }

        Site = site;
        _options = options.Channels;
        _pendingLimit = Math.Max(_options.History, options.Stream.Queue);
        _time = time ?? TimeProvider.System;
        Logger = logger;
        RedisConfiguration = string.IsNullOrWhiteSpace(options.Redis) ? null : options.Redis;

        // An idle channel's history is too old to resume from once historyAge has passed; without an age, after the default idle time.
        var idle = TimeSpan.FromSeconds(_options.HistoryAge > 0 ? _options.HistoryAge : ChannelOptions.DefaultIdleSeconds);
        _idleMilliseconds = (long)idle.TotalMilliseconds;
        var sweep = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 2, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _sweeper = _time.CreateTimer(static s => ((ChannelHub)s!).Sweep(), this, sweep, sweep);
    }

    /// <summary>Channels this instance holds now.</summary>
    public int Count => Volatile.Read(ref _count);

    public string Site { get; }

    public ILogger Logger { get; }

    public string? RedisConfiguration { get; }

    public JsonSerializerOptions Json { get; private set; } = JsonSerializerOptions.Web;

    /// <summary>How many messages each channel keeps (<c>channels.history</c>).</summary>
    public int HistoryLength => _options.History;

    public long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The backplane, when Redis is configured; tests reach it to watch reconnects.</summary>
    internal RedisChannelBackplane? Redis => _redis;

    /// <summary>Takes the site's JSON settings and authorizers and connects the backplane.</summary>
    public void Start(JsonSerializerOptions json, IServiceProvider services)
    {
        Json = json;
        _authorizers = [.. services.GetServices<IChannelAuthorizer>()];
        if (RedisConfiguration is not null)
        {
            _redis = RedisChannelBackplane.Connect(this, RedisConfiguration);
        }

        StartIdentity(services);
    }

    /// <summary>Every channel known here: its subscribers on this instance and the messages in its history (the dashboard's view).</summary>
    internal IReadOnlyList<(string Name, int Subscribers, int History)> Snapshot() =>
        [.. _channels.Values.Select(c => (c.Name, c.SubscriberCount, c.HistoryCount))];

    /// <summary>
    /// A handle on channel <paramref name="name"/>. Taking one holds nothing: the channel's state is made by the first
    /// publish or authorised subscription, so names a client makes up and is refused cost nothing lasting.
    /// </summary>
    public CandyChannel Channel(string name)
    {
        if (_channels.TryGetValue(name ?? throw new ArgumentNullException(nameof(name)), out var existing) && !existing.Retired)
        {
            return existing.Handle;
        }

        ValidateName(name);
        return new CandyChannel(this, name);
    }

    /// <summary>The live state of channel <paramref name="name"/>, made now if this instance holds none.</summary>
    /// <exception cref="BadHttpRequestException">The site holds <c>channels.maxChannels</c> channels that all have subscribers or history (503).</exception>
    internal ChannelState Open(string name)
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

            if (_options.MaxChannels > 0 && Count >= _options.MaxChannels)
            {
                MakeRoom(name);
            }

            var state = new ChannelState(this, name, _options.History);
            if (_channels.TryAdd(name, state))
            {
                Interlocked.Increment(ref _count);
                _redis?.Track(state);
                return state;
            }
        }
    }

    internal bool TryGet(string name, out ChannelState state) => _channels.TryGetValue(name, out state!);

    internal ICollection<ChannelState> Channels => _channels.Values;

    public Task<string> PublishAsync(ChannelState state, object? data, string? eventName)
    {
        if (_redis is { } redis)
        {
            // A handle kept past an idle drop publishes to the live channel of that name, as in process.
            return redis.PublishAsync(state.Retired ? Open(state.Name) : state, data, eventName);
        }

        var id = state.PublishLocal(data, eventName, Json, Now);
        while (id.IsNone)
        {
            // The channel went idle and was dropped between taking the handle and publishing: publish to the live one.
            state = Open(state.Name);
            id = state.PublishLocal(data, eventName, Json, Now);
        }

        return Task.FromResult(id.ToString());
    }

    /// <summary>Refuses the request with 403 unless every registered <see cref="IChannelAuthorizer"/> allows it.</summary>
    public void Authorize(Candy candy, CandyChannel channel)
    {
        foreach (var authorizer in _authorizers ?? [])
        {
            if (!authorizer.CanSubscribe(candy, channel.Name))
            {
                throw new BadHttpRequestException(
                    $"Forbidden: this request may not subscribe to channel '{channel.Name}' ({authorizer.GetType().Name} refused it).",
                    StatusCodes.Status403Forbidden);
            }
        }
    }

    /// <summary>
    /// Subscribes an open stream. The subscriber is registered first and holds live messages back while what the
    /// client missed since <paramref name="lastEventId"/> is replayed (without one: up to <paramref name="recent"/> of
    /// the newest messages this instance keeps), so nothing is lost between the two and nothing is sent twice.
    /// </summary>
    public void Subscribe(CandyStream stream, CandyChannel channel, string? lastEventId, PresenceSubscription presence, int recent = 0)
    {
        var state = channel.State;
        var subscriber = new ChannelSubscriber(stream, _pendingLimit, presence.HidesJoinLeave);
        while (!state.Add(subscriber, Now))
        {
            state = Open(state.Name);
        }

        stream.On("close", () => state.Remove(subscriber, Now));
        presence.Track(stream, state.Name);
        if (!string.IsNullOrEmpty(lastEventId))
        {
            _ = ResumeAsync(stream, state, subscriber, lastEventId);
        }
        else if (recent > 0)
        {
            var entries = new List<ChannelHistoryEntry>();
            var newest = state.ReadRecent(recent, OldestAllowed, entries);
            _ = ReplayAsync(stream, subscriber, new ChannelReplay(false, entries, newest), ChannelMessageId.None);
        }
        else
        {
            subscriber.GoLive(ChannelMessageId.None);
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        _presence?.Dispose();
        _redis?.Dispose();
    }

    /// <summary>Drops every channel with no subscribers that has been idle too long, so the registry shrinks back.</summary>
    internal void Sweep() => Sweep(_idleMilliseconds, emptyOnly: false);

    /// <summary>
    /// At <c>channels.maxChannels</c>: drops the channels that hold nothing (no subscriber, no history), and at most
    /// once a second the idle ones, before refusing. A channel with subscribers or history is never dropped for room.
    /// </summary>
    private void MakeRoom(string name)
    {
        Sweep(0, emptyOnly: true);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastForcedSweep);
        if (Count >= _options.MaxChannels && now - last >= 1000 && Interlocked.CompareExchange(ref _lastForcedSweep, now, last) == last)
        {
            Sweep();
        }

        if (Count >= _options.MaxChannels)
        {
            throw new BadHttpRequestException(
                $"Site {Site} holds {Count} channels with subscribers or history, its limit (channels.maxChannels); channel '{name}' cannot be opened until idle ones expire.",
                StatusCodes.Status503ServiceUnavailable);
        }
    }

    private void Sweep(long idleMilliseconds, bool emptyOnly)
    {
        try
        {
            var now = Now;
            foreach (var pair in _channels)
            {
                if (pair.Value.TryRetire(now, idleMilliseconds, emptyOnly))
                {
                    Forget(pair.Key, pair.Value);
                }
            }
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Site {Site}: dropping idle channels failed", Site);
        }
    }

    private void Forget(string name, ChannelState state)
    {
        if (_channels.TryRemove(KeyValuePair.Create(name, state)))
        {
            Interlocked.Decrement(ref _count);
            _redis?.Untrack(state);
        }
    }

    private async Task ResumeAsync(CandyStream stream, ChannelState state, ChannelSubscriber subscriber, string lastEventId)
    {
        try
        {
            var replay = ChannelMessageId.TryParse(lastEventId, out var after)
                ? await ReadMissedAsync(state, after)
                : ChannelReplay.ResetTo(state.LastId);
            if (replay.Reset)
            {
                Logger.LogDebug("Channel {Channel}: Last-Event-ID {Id} is older than the history; the client gets a reset", state.Name, lastEventId);
                stream.SendReserved(
                    new ChannelResetMessage(state.Name, lastEventId, "The messages after this id are no longer kept; reload the state, then follow live messages."),
                    StreamEvents.Reset,
                    replay.Newest.IsNone ? null : replay.Newest.ToString());
                subscriber.GoLive(replay.Newest);
                return;
            }

            await ReplayAsync(stream, subscriber, replay, after);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stream.Fail(e);
        }
    }

    /// <summary>Writes the replayed messages, then lets the live ones after them through.</summary>
    private static async Task ReplayAsync(CandyStream stream, ChannelSubscriber subscriber, ChannelReplay replay, ChannelMessageId after)
    {
        try
        {
            var upTo = after;
            foreach (var entry in replay.Missed)
            {
                if (subscriber.Hides(entry.Message))
                {
                    upTo = entry.Id;
                    continue;
                }

                if (!await stream.WriteSharedAsync(entry.Message, stream.CancellationToken))
                {
                    return;
                }

                upTo = entry.Id;
            }

            // The replay may end at a newer id than its last message (one read back but already seen by the client).
            subscriber.GoLive(replay.Newest > upTo ? replay.Newest : upTo);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stream.Fail(e);
        }
    }

    private async Task<ChannelReplay> ReadMissedAsync(ChannelState state, ChannelMessageId after)
    {
        var oldestAllowed = OldestAllowed;
        if (_redis is { } redis && await redis.TryReadAfterAsync(state, after, oldestAllowed) is { } shared)
        {
            return shared;
        }

        var missed = new List<ChannelHistoryEntry>();
        return state.TryReadAfter(after, oldestAllowed, missed, out var newest)
            ? new ChannelReplay(false, missed, newest)
            : ChannelReplay.ResetTo(newest);
    }

    /// <summary>Messages received before this (milliseconds) are older than <c>historyAge</c>: never replayed.</summary>
    private long OldestAllowed => _options.HistoryAge > 0 ? Now - (long)(_options.HistoryAge * 1000) : long.MinValue;

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength || name.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            throw Hosting.InputError.Create(
                $"A channel name has 1 to {MaxNameLength} characters and no control characters; {Hosting.InputText.Describe(name)} does not qualify.", nameof(name));
        }
    }
}
