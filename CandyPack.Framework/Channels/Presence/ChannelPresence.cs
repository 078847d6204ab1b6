using System.Security.Claims;
using System.Text.Json;
using CandyPack.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Channels.Presence;

/// <summary>
/// A site's presence: which channels have it (a namespace's <c>presence</c>, else <c>channels.presence</c>), each subscribed user's connections, and the
/// <c>join</c> / <c>leave</c> events published through the channel itself when a user's first connection opens and
/// their last one has been closed for the grace period (<c>channels.presenceGrace</c>).
/// </summary>
/// <remarks>
/// A closed connection lingers for the grace period: it no longer shows in the list, but a reconnect of the same user
/// finds it, so neither a <c>leave</c> nor a second <c>join</c> is sent. Whether a user has other connections is
/// answered by the store in one atomic step, across instances with Redis, so two instances never both announce.
/// </remarks>
internal sealed class ChannelPresence : IDisposable
{
    public const string Join = "join";
    public const string Leave = "leave";

    /// <summary>The largest info object a connection may carry, as JSON: it is stored per connection and sent with every join.</summary>
    public const int MaxInfoBytes = 1024;

    private readonly ChannelHub _hub;
    private readonly string[] _patterns;
    private readonly TimeSpan _grace;
    private readonly TimeProvider _time;
    private readonly PresenceStore _store;

    /// <summary>The store when it is Redis's: its entries expire unless renewed.</summary>
    private readonly RedisPresenceStore? _shared;
    private readonly Hosting.BackgroundTasks _background;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping;
    private readonly ITimer? _refresh;
    private readonly Hosting.LogThrottle _refreshBehind = new(TimeSpan.FromMinutes(1));
    private int _refreshing;
    private long _nextId;

    public ChannelPresence(ChannelHub hub, ChannelOptions options, Func<IDatabase>? redis, TimeProvider time)
    {
        if (options.PresenceGrace < 0 || options.PresenceTimeout <= 0)
        {
            throw new CandyStartupException(
                $"Site {hub.Site}: channels.presenceGrace must be 0 or more and channels.presenceTimeout more than 0 (they are {options.PresenceGrace} and {options.PresenceTimeout}).");
        }

        _hub = hub;
        _stopping = _stop.Token;
        _patterns = [.. options.Presence.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim())];
        _grace = TimeSpan.FromSeconds(options.PresenceGrace);
        _time = time;
        _background = new Hosting.BackgroundTasks(hub.Logger);
        if (redis is null)
        {
            _store = new PresenceStore();
            return;
        }

        var timeout = TimeSpan.FromSeconds(options.PresenceTimeout);
        _shared = new RedisPresenceStore(redis, hub.Site, timeout, hub.Logger);
        _store = _shared;
        _refresh = time.CreateTimer(static s => ((ChannelPresence)s!).Refresh(), this, timeout / 3, timeout / 3);
    }

    /// <summary>The presence part of a subscription to <paramref name="channel"/>, checked before its stream opens.</summary>
    /// <exception cref="InvalidOperationException">The options ask for presence on a channel that keeps none.</exception>
    /// <exception cref="ArgumentException">The info object is too large.</exception>
    public PresenceSubscription Prepare(string channel, SubscribeOptions? options, ClaimsPrincipal user)
    {
        if (!IsEnabled(channel))
        {
            if (options is { JoinLeave: true } or { Info: not null })
            {
                throw new InvalidOperationException(
                    $"Channel '{channel}' keeps no presence, so it has no join/leave events and no connection info. {HowToEnable(channel)}");
            }

            return PresenceSubscription.None;
        }

        var hidesJoinLeave = options?.JoinLeave != true && !_hub.Namespaces.For(channel).JoinLeave;
        return new PresenceSubscription(this, UserIds.Of(user), InfoOf(options?.Info), hidesJoinLeave);
    }

    /// <summary>
    /// True when the channel's namespace keeps presence or, where it does not say, when <paramref name="channel"/> matches
    /// a <c>channels.presence</c> entry: its name, or a prefix ending in <c>*</c>.
    /// </summary>
    public bool IsEnabled(string channel) => _hub.Namespaces.For(channel).Presence ?? IsListed(channel);

    /// <summary>What to write in config.json so that <paramref name="channel"/> keeps presence.</summary>
    public string HowToEnable(string channel)
    {
        var space = _hub.Namespaces.For(channel);
        return space.Presence == false
            ? $"Its namespace turns presence off: set \"presence\": true in {space.Describe()}."
            : $"Add it (or a pattern such as \"{channel}*\") to channels.presence in config.json, or give its namespace \"presence\": true.";
    }

    private bool IsListed(string channel)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern == "*"
                || (pattern.EndsWith('*') && channel.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal))
                || pattern == channel)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The info object as the JSON kept with the connection.</summary>
    /// <exception cref="ArgumentException">It is larger than <see cref="MaxInfoBytes"/> as JSON.</exception>
    public JsonElement? InfoOf(object? info)
    {
        if (info is null)
        {
            return null;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(info, info.GetType(), _hub.Json);
        if (bytes.Length > MaxInfoBytes)
        {
            throw new ArgumentException($"SubscribeOptions.Info is {bytes.Length} bytes as JSON; presence keeps at most {MaxInfoBytes} per connection.", nameof(info));
        }

        return JsonSerializer.Deserialize<JsonElement>(bytes);
    }

    /// <summary>Counts <paramref name="stream"/> in the channel's presence until it closes, and announces its user's arrival.</summary>
    public void Track(CandyStream stream, string channel, string userId, JsonElement? info)
    {
        var id = Interlocked.Increment(ref _nextId);
        var connection = new PresenceConnection(userId, _hub.Now, info, false);
        var added = OpenAsync(channel, id, connection);
        _background.Run(added, $"Presence of channel '{channel}': adding user {userId}");
        stream.On("close", () => _background.Run(CloseAsync(channel, id, connection, added), $"Presence of channel '{channel}': removing user {userId}"));
    }

    /// <summary>Who is subscribed to <paramref name="channel"/> now, one entry per user, oldest first.</summary>
    /// <exception cref="BadHttpRequestException">Redis cannot be reached (503): the list would be this instance's alone.</exception>
    public async Task<IReadOnlyList<PresenceMember>> ListAsync(string channel)
    {
        IReadOnlyList<PresenceConnection> connections;
        try
        {
            connections = await _store.ListAsync(channel);
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            throw new BadHttpRequestException(
                $"The presence of channel '{channel}' cannot be read: Redis cannot be reached. Try again shortly.",
                StatusCodes.Status503ServiceUnavailable,
                e);
        }

        return PresenceMembers.Of(connections);
    }

    /// <summary>Every connection the store holds for <paramref name="channel"/>, lingering ones included (for tests of the grace period).</summary>
    internal async Task<int> HeldAsync(string channel) => (await _store.ListAsync(channel)).Count;

    /// <summary>
    /// The timer's turn: renews this instance's entries in Redis, unless the last renewal is still running (Redis slower
    /// than a third of <c>channels.presenceTimeout</c>): renewals never overlap, and that is logged.
    /// </summary>
    private void Refresh()
    {
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0)
        {
            if (_refreshBehind.TryTake(out var skipped))
            {
                _hub.Logger.LogWarning(
                    "Presence of site {Site}: the last refresh of this instance's entries in Redis is still running, so this one is skipped ({Skipped} more skipped since the last warning); entries expire after channels.presenceTimeout if Redis stays this slow",
                    _hub.Site,
                    skipped);
            }

            return;
        }

        _background.Run(RefreshOnceAsync(), $"Presence of site {_hub.Site}: refreshing this instance's entries in Redis");
    }

    private async Task RefreshOnceAsync()
    {
        try
        {
            await _shared!.RefreshAsync();
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    public void Dispose()
    {
        _refresh?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task OpenAsync(string channel, long id, PresenceConnection connection)
    {
        if (await _store.AddAsync(channel, id, connection) == 0)
        {
            await AnnounceAsync(channel, Join, connection);
        }
    }

    private async Task CloseAsync(string channel, long id, PresenceConnection connection, Task added)
    {
        // The arrival is finished (or has failed and been logged) before the departure starts: never a leave before its join.
        await Task.WhenAny(added);
        if (_grace > TimeSpan.Zero)
        {
            await _store.MarkLingeringAsync(channel, id, connection);
            await Task.Delay(_grace, _time, _stopping);
        }

        if (await _store.RemoveAsync(channel, id, connection) == 0)
        {
            await AnnounceAsync(channel, Leave, connection);
        }
    }

    private Task<string> AnnounceAsync(string channel, string eventName, PresenceConnection connection) =>
        _hub.PublishAsync(_hub.Channel(channel).State, new PresenceChange(connection.UserId, connection.Info), eventName);

    /// <summary>The data of a <c>join</c> or <c>leave</c> event.</summary>
    private sealed record PresenceChange(string UserId, JsonElement? Info);
}
