using System.Collections.Concurrent;
using System.Text.Json;
using CandyPack.Streaming;
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

    private readonly ConcurrentDictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);
    private readonly ChannelOptions _options;
    private readonly int _pendingLimit;
    private readonly TimeProvider _time;
    private RedisChannelBackplane? _redis;
    private IChannelAuthorizer[]? _authorizers;

    public ChannelHub(string site, CandyOptions options, ILogger logger, TimeProvider? time = null)
    {
        if (options.Channels.History < 0 || options.Channels.HistoryAge < 0)
        {
            throw new CandyStartupException(
                $"Site {site}: channels.history and channels.historyAge must not be negative (they are {options.Channels.History} and {options.Channels.HistoryAge}).");
        }

        Site = site;
        _options = options.Channels;
        _pendingLimit = Math.Max(_options.History, options.Stream.Queue);
        _time = time ?? TimeProvider.System;
        Logger = logger;
        RedisConfiguration = string.IsNullOrWhiteSpace(options.Redis) ? null : options.Redis;
    }

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
    }

    public CandyChannel Channel(string name)
    {
        if (_channels.TryGetValue(name ?? throw new ArgumentNullException(nameof(name)), out var existing))
        {
            return existing.Handle;
        }

        ValidateName(name);
        var state = _channels.GetOrAdd(name, static (n, hub) => new ChannelState(hub, n, hub._options.History), this);
        _redis?.Track(state);
        return state.Handle;
    }

    internal bool TryGet(string name, out ChannelState state) => _channels.TryGetValue(name, out state!);

    internal ICollection<ChannelState> Channels => _channels.Values;

    public Task<string> PublishAsync(ChannelState state, object? data, string? eventName)
    {
        if (_redis is { } redis)
        {
            return redis.PublishAsync(state, data, eventName);
        }

        return Task.FromResult(state.PublishLocal(data, eventName, Json, Now, sameMillisecond: false).ToString());
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
    /// client missed since <paramref name="lastEventId"/> is replayed, so nothing is lost between the two and
    /// nothing is sent twice.
    /// </summary>
    public void Subscribe(CandyStream stream, CandyChannel channel, string? lastEventId)
    {
        var state = channel.State;
        var subscriber = new ChannelSubscriber(stream, _pendingLimit);
        state.Add(subscriber);
        stream.On("close", () => state.Remove(subscriber));
        if (string.IsNullOrEmpty(lastEventId))
        {
            state.GoLive(subscriber, ChannelMessageId.None);
            return;
        }

        _ = ResumeAsync(stream, state, subscriber, lastEventId);
    }

    public void Dispose() => _redis?.Dispose();

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
                state.GoLive(subscriber, replay.Newest);
                return;
            }

            var upTo = after;
            foreach (var entry in replay.Missed)
            {
                if (!await stream.WriteFramedAsync(entry.Frame, stream.CancellationToken))
                {
                    return;
                }

                upTo = entry.Id;
            }

            state.GoLive(subscriber, upTo);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stream.Fail(e);
        }
    }

    private async Task<ChannelReplay> ReadMissedAsync(ChannelState state, ChannelMessageId after)
    {
        var oldestAllowed = _options.HistoryAge > 0 ? Now - (long)(_options.HistoryAge * 1000) : long.MinValue;
        if (_redis is { } redis && await redis.TryReadAfterAsync(state, after, oldestAllowed) is { } shared)
        {
            return shared;
        }

        var missed = new List<ChannelHistoryEntry>();
        return state.TryReadAfter(after, oldestAllowed, missed, out var newest)
            ? new ChannelReplay(false, missed, newest)
            : ChannelReplay.ResetTo(newest);
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength || name.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            throw new ArgumentException(
                $"A channel name has 1 to {MaxNameLength} characters and no control characters; '{name}' does not qualify.", nameof(name));
        }
    }
}
