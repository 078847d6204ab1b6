using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
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
    private const string RetryAfterSeconds = "5";

    // Answers nil when the stream is refused, else the members of the streams to close (none when there was room).
    private const string AdmitScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        local members = redis.call('ZRANGE', KEYS[1], 0, -1)
        local max = tonumber(ARGV[3])
        local closed = {}
        if #members >= max then
          if ARGV[5] == '0' then return false end
          table.sort(members)
          for i = 1, #members - max + 1 do
            redis.call('ZREM', KEYS[1], members[i])
            closed[#closed + 1] = members[i]
          end
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        return closed
        """;

    // Per stream still in its user's set (XX: a stream released meanwhile is not written back): its new expiry as the
    // score, and the set kept alive twice as long.
    private const string RefreshScript = """
        for i = 1, #KEYS do
          redis.call('ZADD', KEYS[i], 'XX', ARGV[1], ARGV[i + 2])
          redis.call('PEXPIRE', KEYS[i], ARGV[2])
        end
        return #KEYS
        """;

    /// <summary>Streams refreshed per command.</summary>
    private const int RefreshBatch = 500;

    private readonly StreamOptions _options;

    /// <summary>How long a stream counts in Redis without its instance refreshing it: <c>channels.presenceTimeout</c>.</summary>
    private readonly TimeSpan _expiry;

    private readonly string _site;
    private readonly ILogger _logger;
    private readonly Func<IDatabase>? _redis;
    private readonly Dictionary<string, List<(CandyStream Stream, string Member)>> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (CandyStream Stream, string UserId)> _byMember = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly string _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private readonly Hosting.BackgroundTasks _background;
    private readonly RedisChannel _closeChannel;
    private readonly ITimer? _refresh;
    private long _next;

    public UserStreamLimit(StreamOptions options, TimeSpan expiry, string site, ILogger logger, Channels.RedisChannelBackplane? redis, TimeProvider time)
    {
        if (options.MaxPerUser < 0)
        {
            throw new CandyStartupException($"Site {site}: stream.maxPerUser must not be negative (it is {options.MaxPerUser}).");
        }

        _options = options;
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
        redis.Subscriber.Subscribe(_closeChannel, (_, member) => CloseLocal(member!, "a newer stream of the same user took its place"));
        _refresh = time.CreateTimer(static s => ((UserStreamLimit)s!).Refresh(), this, expiry / 3, expiry / 3);
    }

    /// <summary>Counts <paramref name="stream"/> for its user until it closes; over the limit, refuses it (429) or closes the user's oldest.</summary>
    /// <exception cref="BadHttpRequestException">429: the user has <c>stream.maxPerUser</c> streams open and the policy is to refuse.</exception>
    public void Admit(CandyStream stream, HttpContext context)
    {
        if (_options.MaxPerUser == 0 || UserIds.Of(context.User) is not { } userId)
        {
            return;
        }

        var member = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D13}|{_instance}|{Interlocked.Increment(ref _next)}");
        var closeOldest = _options.MaxPerUserPolicy == MaxPerUserPolicy.CloseOldest;
        var toClose = _redis is null ? AdmitLocal(userId, closeOldest) : AdmitShared(userId, member, closeOldest);
        if (toClose is null)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            throw new BadHttpRequestException(
                $"Too Many Requests: user '{userId}' already has {_options.MaxPerUser} streams open on this site (stream.maxPerUser); close one first.",
                StatusCodes.Status429TooManyRequests);
        }

        lock (_gate)
        {
            if (!_local.TryGetValue(userId, out var streams))
            {
                _local[userId] = streams = [];
            }

            streams.Add((stream, member));
        }

        _byMember[member] = (stream, userId);
        stream.On("close", () => Release(userId, stream, member));
        foreach (var closed in toClose)
        {
            if (!CloseLocal(closed, "a newer stream of the same user took its place") && _redis is not null)
            {
                _background.Run(_redis().PublishAsync(_closeChannel, closed), $"Site {_site}: closing user {userId}'s oldest stream on its instance");
            }
        }
    }

    public void Dispose() => _refresh?.Dispose();

    /// <summary>The members to close (none when there was room), or null when the stream is refused.</summary>
    private List<string>? AdmitLocal(string userId, bool closeOldest)
    {
        lock (_gate)
        {
            var open = _local.TryGetValue(userId, out var streams) ? streams : [];
            if (open.Count < _options.MaxPerUser)
            {
                return [];
            }

            return closeOldest ? [.. open.Take(open.Count - _options.MaxPerUser + 1).Select(s => s.Member)] : null;
        }
    }

    private List<string>? AdmitShared(string userId, string member, bool closeOldest)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            var result = _redis!().ScriptEvaluate(
                AdmitScript,
                [Key(userId)],
                [now, now + (long)_expiry.TotalMilliseconds, _options.MaxPerUser, member, closeOldest ? 1 : 0, (long)_expiry.TotalMilliseconds * 2]);
            return result.IsNull ? null : [.. ((RedisResult[])result!).Select(r => (string)r!)];
        }
        catch (Exception e) when (Channels.RedisChannelBackplane.IsRedisFailure(e))
        {
            // Redis away or not answering in time: the limit still holds for this instance's streams.
            _logger.LogWarning(e, "Site {Site}: Redis did not answer the per-user stream count of user {User}; counted on this instance only", _site, userId);
            return AdmitLocal(userId, closeOldest);
        }
    }

    private bool CloseLocal(string member, string reason)
    {
        if (!_byMember.TryGetValue(member, out var entry))
        {
            return false;
        }

        entry.Stream.Error($"This stream was closed: {reason} (stream.maxPerUser is {_options.MaxPerUser}).");
        return true;
    }

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
                database.ScriptEvaluateAsync(RefreshScript, [.. keys], [expires, (long)_expiry.TotalMilliseconds * 2, .. values]),
                $"Site {_site}: refreshing the per-user counts of {keys.Count} streams in Redis");
            keys.Clear();
            values.Clear();
        }
    }

    private RedisKey Key(string userId) => "candy:" + _site + ":user-streams:" + userId;
}
