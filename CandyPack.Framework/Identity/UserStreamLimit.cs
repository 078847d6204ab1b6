using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Identity;

/// <summary>
/// Enforces <c>stream.maxPerUser</c>. With Redis, each user has a sorted set of their open streams on every instance
/// (<c>"opened|instance|number"</c>, scored by an expiry this instance refreshes), checked and added to in one atomic
/// script; the oldest stream to close is announced on a pub/sub channel so the instance holding it closes it. An
/// instance that dies stops refreshing, and its streams stop counting within the expiry (<c>channels.presenceTimeout</c>).
/// </summary>
internal sealed class UserStreamLimit : IDisposable
{
    /// <summary>The <c>Retry-After</c> of a refused stream, in seconds.</summary>
    public const string RetryAfterSeconds = "5";

    private static readonly Task<string?> Admitted = Task.FromResult<string?>(null);

    /// <summary>Streams refreshed per command.</summary>
    private const int RefreshBatch = 500;

    private readonly StreamOptions _options;

    /// <summary>How long a stream counts in Redis without its instance refreshing it: <c>channels.presenceTimeout</c>.</summary>
    private readonly TimeSpan _expiry;

    private readonly string _site;
    private readonly ILogger _logger;
    private readonly Hosting.LogThrottle _outageWarnings = new(TimeSpan.FromMinutes(1));
    private readonly Func<IDatabase>? _redis;
    private readonly Dictionary<string, List<(CandyStream Stream, string Member)>> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (CandyStream Stream, string UserId)> _byMember = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly string _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private readonly Hosting.BackgroundTasks _background;
    private readonly RedisChannel _closeChannel;
    private readonly UserStreamIndex? _index;
    private readonly ITimer? _refresh;
    private long _next;

    public UserStreamLimit(
        StreamOptions options, TimeSpan expiry, string site, ILogger logger, Channels.RedisChannelBackplane? redis, TimeProvider time, UserStreamIndex? index = null)
    {
        if (options.MaxPerUser < 0)
        {
            throw new CandyStartupException($"Site {site}: stream.maxPerUser must not be negative (it is {options.MaxPerUser}).");
        }

        _options = options;
        _index = index;
        _expiry = expiry;
        _site = site;
        _logger = logger;
        _background = new Hosting.BackgroundTasks(logger);
        _closeChannel = RedisChannel.Literal("candy:" + site + ":user-streams:close");
        if (redis is null || options.MaxPerUser == 0)
        {
            return;
        }

        _redis = () => redis.Database;
        redis.Subscriber.Subscribe(_closeChannel, (_, member) => CloseLocal(member!));
        _refresh = time.CreateTimer(static s => ((UserStreamLimit)s!).Refresh(), this, expiry / 3, expiry / 3);
    }

    /// <summary>
    /// Counts <paramref name="stream"/> for its user until it closes; over the limit, refuses it or closes the user's
    /// oldest. In memory the count and the insert are one step under one lock; with Redis they are one script, awaited.
    /// </summary>
    /// <returns>
    /// A task that completes with null once the stream is counted, or with the message refusing it (429) when the user
    /// has <c>stream.maxPerUser</c> streams open and the policy is to refuse; complete at once unless Redis is asked.
    /// </returns>
    public Task<string?> Admit(CandyStream stream, ClaimsPrincipal? user)
    {
        if (UserIds.Of(user) is not { } userId)
        {
            return Admitted;
        }

        if (_options.MaxPerUser == 0)
        {
            _index?.Add(stream, userId);
            return Admitted;
        }

        // Sorted by name for the oldest: the opening time, then this instance's own order, both fixed width.
        var member = string.Create(
            CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D13}|{_instance}|{Interlocked.Increment(ref _next):D19}");
        var closeOldest = _options.MaxPerUserPolicy == MaxPerUserPolicy.CloseOldest;
        return _redis is null
            ? Task.FromResult(AdmitLocal(stream, userId, member, closeOldest))
            : AdmitSharedAsync(stream, userId, member, closeOldest);
    }

    public void Dispose() => _refresh?.Dispose();

    /// <summary>
    /// Checks and counts in one lock region: the streams it evicts leave the user's list in the same step, so two opens at
    /// once never both find room, nor both close the same oldest stream.
    /// </summary>
    /// <returns>Null once counted, or the refusal.</returns>
    private string? AdmitLocal(CandyStream stream, string userId, string member, bool closeOldest)
    {
        List<(CandyStream Stream, string Member)> evicted = [];
        lock (_gate)
        {
            if (!_local.TryGetValue(userId, out var open))
            {
                _local[userId] = open = [];
            }

            var over = open.Count - _options.MaxPerUser + 1;
            if (over > 0)
            {
                if (!closeOldest)
                {
                    return Refusal(userId);
                }

                evicted = open.GetRange(0, over);
                open.RemoveRange(0, over);
            }

            open.Add((stream, member));
        }

        _byMember[member] = (stream, userId);
        stream.On("close", () => Release(userId, stream, member));
        _index?.Add(stream, userId);
        foreach (var (oldest, _) in evicted)
        {
            Close(oldest);
        }

        return null;
    }

    private async Task<string?> AdmitSharedAsync(CandyStream stream, string userId, string member, bool closeOldest)
    {
        // Findable before Redis counts it: a newer stream that evicts this one announces it as soon as the script ran.
        _byMember[member] = (stream, userId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        RedisResult result;
        try
        {
            result = await _redis!().ScriptEvaluateAsync(
                UserStreamScripts.Admit,
                [Key(userId)],
                [now, now + (long)_expiry.TotalMilliseconds, _options.MaxPerUser, member, closeOldest ? 1 : 0, (long)_expiry.TotalMilliseconds * 2]);
        }
        catch (Exception e) when (Channels.RedisChannelBackplane.IsRedisFailure(e))
        {
            // Redis away or not answering in time: the limit still holds for this instance's streams.
            if (_outageWarnings.TryTake(out var unlogged))
            {
                _logger.LogWarning(
                    e,
                    "Site {Site}: Redis did not answer the per-user stream count of user {User}; counted on this instance only ({Unlogged} more since the last one logged)",
                    _site,
                    userId,
                    unlogged);
            }

            _byMember.TryRemove(member, out _);
            return AdmitLocal(stream, userId, member, closeOldest);
        }

        if (result.IsNull)
        {
            _byMember.TryRemove(member, out _);
            return Refusal(userId);
        }

        lock (_gate)
        {
            if (!_local.TryGetValue(userId, out var open))
            {
                _local[userId] = open = [];
            }

            open.Add((stream, member));
        }

        stream.On("close", () => Release(userId, stream, member));
        _index?.Add(stream, userId);
        foreach (var closed in (RedisResult[])result!)
        {
            var oldest = (string)closed!;
            if (!CloseLocal(oldest))
            {
                _background.Run(_redis().PublishAsync(_closeChannel, oldest), $"Site {_site}: closing user {userId}'s oldest stream on its instance");
            }
        }

        return null;
    }

    private string Refusal(string userId) =>
        $"Too Many Requests: user '{userId}' already has {_options.MaxPerUser} streams open on this site (stream.maxPerUser); close one first.";

    /// <summary>Closes the stream of <paramref name="member"/> when it is on this instance (counted, or being counted).</summary>
    private bool CloseLocal(string member)
    {
        if (!_byMember.TryGetValue(member, out var entry))
        {
            return false;
        }

        Close(entry.Stream);
        return true;
    }

    private void Close(CandyStream stream) =>
        stream.Error($"This stream was closed: a newer stream of the same user took its place (stream.maxPerUser is {_options.MaxPerUser}).");

    private void Release(string userId, CandyStream stream, string member)
    {
        _byMember.TryRemove(member, out _);
        lock (_gate)
        {
            if (_local.TryGetValue(userId, out var streams))
            {
                streams.RemoveAll(s => ReferenceEquals(s.Stream, stream));
                if (streams.Count == 0)
                {
                    _local.Remove(userId);
                }
            }
        }

        if (_redis is not null)
        {
            _background.Run(_redis().SortedSetRemoveAsync(Key(userId), member), $"Site {_site}: releasing a stream of user {userId} in Redis");
        }
    }

    /// <summary>
    /// Pushes the expiry of this instance's streams forward and keeps their users' sets alive (a set expires twice
    /// the expiry after it was last touched), a few hundred streams per command.
    /// </summary>
    private void Refresh()
    {
        var expires = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)_expiry.TotalMilliseconds;
        var database = _redis!();
        var keys = new List<RedisKey>(RefreshBatch);
        var values = new List<RedisValue>(RefreshBatch + 2);
        foreach (var (member, entry) in _byMember)
        {
            keys.Add(Key(entry.UserId));
            values.Add(member);
            if (keys.Count == RefreshBatch)
            {
                Send();
            }
        }

        if (keys.Count > 0)
        {
            Send();
        }

        void Send()
        {
            _background.Run(
                database.ScriptEvaluateAsync(UserStreamScripts.Refresh, [.. keys], [expires, (long)_expiry.TotalMilliseconds * 2, .. values]),
                $"Site {_site}: refreshing the per-user counts of {keys.Count} streams in Redis");
            keys.Clear();
            values.Clear();
        }
    }

    private RedisKey Key(string userId) => "candy:" + _site + ":user-streams:" + userId;
}
