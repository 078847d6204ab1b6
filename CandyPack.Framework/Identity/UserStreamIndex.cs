using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Identity;

/// <summary>
/// A site's open streams by user id, kept only while the server API is on, so <c>POST /_candy/api/disconnect</c> can
/// close a user's streams. With Redis, a disconnect is also announced on one pub/sub channel of the site, and every other
/// instance closes that user's streams it holds.
/// </summary>
internal sealed class UserStreamIndex
{
    private readonly Dictionary<string, List<CandyStream>> _byUser = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly string _site;
    private readonly ILogger _logger;
    private readonly string _instance = string.Empty;
    private readonly RedisChannel _channel;
    private readonly ISubscriber? _subscriber;
    private int _subscribed;

    public UserStreamIndex(string site, ILogger logger, Channels.RedisChannelBackplane? redis)
    {
        _site = site;
        _logger = logger;
        _channel = RedisChannel.Literal("candy:" + site + ":user-streams:disconnect");
        if (redis is not null)
        {
            // This instance's mark on what it announces, so it does not close its streams twice: the backplane's.
            _instance = redis.Origin;
            _subscriber = redis.Subscriber;

            // Redis may be away at start (the site starts all the same): subscribed once it is back.
            redis.Reconnected += () => ThreadPool.QueueUserWorkItem(static index => index.TrySubscribe(), this, preferLocal: false);
            TrySubscribe();
        }
    }

    /// <summary>Lists <paramref name="stream"/> under <paramref name="userId"/> until it closes.</summary>
    public void Add(CandyStream stream, string userId)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var streams))
            {
                _byUser[userId] = streams = [];
            }

            streams.Add(stream);
        }

        stream.On("close", () => Remove(stream, userId));
    }

    /// <summary>
    /// Closes every stream of <paramref name="userId"/> here, and with Redis tells the other instances to close theirs.
    /// <paramref name="reconnect"/> ends them without <c>end</c>, so clients come back (to pick up new rights, say);
    /// otherwise they end with <c>end</c> and clients stay away.
    /// </summary>
    /// <returns>How many streams this instance closed.</returns>
    /// <exception cref="RedisException">Redis did not take the announcement; this instance's streams are closed all the same.</exception>
    public async Task<int> DisconnectAsync(string userId, bool reconnect)
    {
        var closed = CloseHere(userId, reconnect);
        if (_subscriber is not null)
        {
            await _subscriber.PublishAsync(_channel, _instance + (reconnect ? "|1|" : "|0|") + userId);
        }

        return closed;
    }

    private void TrySubscribe()
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            _subscriber!.Subscribe(_channel, (_, message) => Heard(message!));
        }
        catch (Exception e)
        {
            Volatile.Write(ref _subscribed, 0);
            if (Channels.RedisChannelBackplane.IsRedisFailure(e))
            {
                _logger.LogWarning(
                    "Site {Site}: Redis is away, so a server API disconnect asked of another instance does not reach this one until it is back ({Reason})", _site, e.Message);
            }
            else
            {
                _logger.LogError(e, "Site {Site}: subscribing to other instances' server API disconnects failed", _site);
            }
        }
    }

    private void Heard(string message)
    {
        // "instance|reconnect|user": the user id is last, so it may hold any character.
        var parts = message.Split('|', 3);
        if (parts.Length != 3 || parts[0] == _instance)
        {
            return;
        }

        var closed = CloseHere(parts[2], parts[1] == "1");
        if (closed > 0)
        {
            _logger.LogInformation("Site {Site}: closed {Count} streams of user {User}, as another instance's server API asked", _site, closed, parts[2]);
        }
    }

    private int CloseHere(string userId, bool reconnect)
    {
        CandyStream[] streams;
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var open))
            {
                return 0;
            }

            streams = [.. open];
        }

        foreach (var stream in streams)
        {
            if (reconnect)
            {
                stream.AskToReconnect();
            }
            else
            {
                stream.Close();
            }
        }

        return streams.Length;
    }

    private void Remove(CandyStream stream, string userId)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(userId, out var streams))
            {
                streams.Remove(stream);
                if (streams.Count == 0)
                {
                    _byUser.Remove(userId);
                }
            }
        }
    }
}
