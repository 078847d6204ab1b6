using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using CandyPack.Channels.Presence;
using CandyPack.Identity;
using CandyPack.Streaming;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Channels;

/// <summary>
/// A site's channels: publishing, subscribing with resume, authorization, and the backplane that carries messages
/// between host instances (in process, or Redis when <c>"redis"</c> is configured).
/// </summary>
internal sealed class ChannelHub : ICandyChannels, IDisposable
{
    private const int MaxNameLength = 200;

    private readonly ChannelOptions _options;
    private readonly int _queue;
    private readonly TimeProvider _time;
    private readonly ChannelRegistry _registry;
    private readonly ChannelReplays _replays;
    private RedisChannelBackplane? _redis;
    private IChannelAuthorizer[]? _authorizers;
    private ChannelPresence? _presence;
    private SubscribeTokens? _tokens;

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
        Namespaces = new ChannelNamespaces(_options, site);
        _queue = options.Stream.Queue;
        _time = time ?? TimeProvider.System;
        Logger = logger;
        Background = new Hosting.BackgroundTasks(logger);
        RedisConfiguration = string.IsNullOrWhiteSpace(options.Redis) ? null : options.Redis;
        _registry = new ChannelRegistry(this, _options, _time);
        _replays = new ChannelReplays(this);
    }

    /// <summary>Channels this instance holds now.</summary>
    public int Count => _registry.Count;

    public string Site { get; }

    public ILogger Logger { get; }

    public string? RedisConfiguration { get; }

    public JsonSerializerOptions Json { get; private set; } = JsonSerializerOptions.Web;

    /// <summary>The options of each channel by its name's prefix (<c>channels.namespaces</c>).</summary>
    public ChannelNamespaces Namespaces { get; }

    /// <summary>Observes the hub's work that no request waits for, such as publishing what WebSocket clients send.</summary>
    internal Hosting.BackgroundTasks Background { get; }

    public long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The site's presence; <see langword="null"/> until <see cref="Start"/>.</summary>
    public ChannelPresence? Presence => _presence;

    public SubscribeTokens Tokens => _tokens ?? throw NotStarted();

    /// <summary>What subscribers receive before live messages, and what the server API's history reads.</summary>
    public ChannelReplays Replays => _replays;

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

        _tokens = new SubscribeTokens(services.GetRequiredService<IDataProtectionProvider>(), _time);
        _presence = new ChannelPresence(this, _options, _redis is { } redis ? () => redis.Database : null, _time);
    }

    /// <summary>The presence part of a subscription, checked before its stream opens (see <see cref="ChannelPresence.Prepare"/>).</summary>
    public PresenceSubscription PrepareSubscription(string channel, SubscribeOptions? options, ClaimsPrincipal user) =>
        (_presence ?? throw NotStarted()).Prepare(channel, options, user);

    /// <summary>Every channel known here: its subscribers on this instance and the messages in its history (the dashboard's view).</summary>
    internal IReadOnlyList<(string Name, int Subscribers, int History)> Snapshot() =>
        [.. _registry.All.Select(c => (c.Name, c.SubscriberCount, c.HistoryCount))];

    /// <summary>
    /// A handle on channel <paramref name="name"/>. Taking one holds nothing: the channel's state is made by the first
    /// publish or authorised subscription, so names a client makes up and is refused cost nothing lasting.
    /// </summary>
    public CandyChannel Channel(string name)
    {
        if (_registry.TryGet(name ?? throw new ArgumentNullException(nameof(name)), out var existing) && !existing.Retired)
        {
            return existing.Handle;
        }

        ValidateName(name);
        return new CandyChannel(this, name);
    }

    /// <summary>The live state of channel <paramref name="name"/>, made now if this instance holds none.</summary>
    /// <exception cref="BadHttpRequestException">The site holds <c>channels.maxChannels</c> channels that all have subscribers or history (503).</exception>
    internal ChannelState Open(string name) => _registry.Open(name);

    internal bool TryGet(string name, out ChannelState state) => _registry.TryGet(name, out state);

    internal ICollection<ChannelState> Channels => _registry.All;

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

    /// <summary>
    /// Refuses the request with 401 when the channel's namespace does not allow anonymous subscribers and it has no
    /// authenticated user, then with 403 unless every registered <see cref="IChannelAuthorizer"/> allows it.
    /// </summary>
    public void Authorize(Candy candy, CandyChannel channel)
    {
        var space = Namespaces.For(channel.Name);
        if (!space.AllowAnonymous && candy.User.Identity?.IsAuthenticated != true)
        {
            throw new BadHttpRequestException(
                $"Unauthorized: channel '{channel.Name}' is for authenticated users only ({space.Describe()} has allowAnonymous false); sign in, or subscribe with a token from channel.Token(user, lifetime).",
                StatusCodes.Status401Unauthorized);
        }

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
    /// the newest messages, at least the latest one in a cache-mode namespace), so nothing is lost between the two and
    /// nothing is sent twice.
    /// </summary>
    /// <exception cref="BadHttpRequestException">The channel has its namespace's <c>maxSubscribers</c> here (503).</exception>
    public void Subscribe(CandyStream stream, CandyChannel channel, string? lastEventId, PresenceSubscription presence, int recent = 0)
    {
        var space = Namespaces.For(channel.Name);
        var state = channel.State;
        var subscriber = new ChannelSubscriber(stream, Math.Max(space.History, _queue), presence.HidesJoinLeave);
        while (!state.Add(subscriber, Now, space.MaxSubscribers))
        {
            state = Open(state.Name);
        }

        stream.On("close", () => state.Remove(subscriber, Now));
        presence.Track(stream, state.Name);
        if (space.AllowClientPublish && stream.CanReceive)
        {
            ChannelClientPublish.Start(stream, state.Handle);
        }

        if (space.Recover == ChannelRecovery.Cache)
        {
            recent = Math.Max(recent, 1);
        }

        if (!string.IsNullOrEmpty(lastEventId))
        {
            _ = _replays.ResumeAsync(stream, state, subscriber, lastEventId);
        }
        else if (recent > 0)
        {
            _ = _replays.SendRecentAsync(stream, state, subscriber, recent);
        }
        else
        {
            subscriber.GoLive(ChannelMessageId.None);
        }
    }

    public void Dispose()
    {
        _registry.Dispose();
        _presence?.Dispose();
        _redis?.Dispose();
    }

    /// <summary>Drops every channel with no subscribers that has been idle too long, so the registry shrinks back.</summary>
    internal void Sweep() => _registry.Sweep();

    /// <summary>Messages of <paramref name="channel"/> received before this (milliseconds) are older than its <c>historyAge</c>: never replayed.</summary>
    internal long OldestAllowed(string channel) => Namespaces.For(channel).OldestAllowed(Now);

    private InvalidOperationException NotStarted() => new($"The channels of site {Site} have not started yet.");

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength || name.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            throw Hosting.InputError.Create(
                $"A channel name has 1 to {MaxNameLength} characters and no control characters; {Hosting.InputText.Describe(name)} does not qualify.", nameof(name));
        }
    }
}
