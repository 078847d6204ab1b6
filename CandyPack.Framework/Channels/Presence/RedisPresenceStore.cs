using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CandyPack.Channels.Presence;

/// <summary>
/// Presence shared by every host instance through Redis. Per channel: a set of the instances with connections, one hash
/// per instance (connection id to <see cref="PresenceConnection"/> JSON) that expires unless its instance refreshes it,
/// and per user a set of <c>"instance connection"</c> members that decides join and leave in one atomic script. An
/// instance that dies stops refreshing, so its hash expires and its users leave the list within the timeout.
/// </summary>
/// <remarks>
/// While Redis is away, changes are answered from this instance's own connections and the channel is marked stale;
/// the next refresh that reaches Redis makes the instance's hash match what it holds, so a stream that closed during
/// the outage is not left listed.
/// </remarks>
internal sealed class RedisPresenceStore : PresenceStore
{
    /// <summary>Channels whose expiry one refresh renews in one pipelined batch.</summary>
    private const int RefreshSlice = 1000;

    // Counts the user's other connections whose instance hash still holds them; members of expired instances are dropped.
    private const string CountOthers = """
        local others = 0
        for _, m in ipairs(redis.call('SMEMBERS', KEYS[3])) do
          local sep = string.find(m, ' ', 1, true)
          if sep and redis.call('HEXISTS', ARGV[5] .. string.sub(m, 1, sep - 1), string.sub(m, sep + 1)) == 1 then
            others = others + 1
          else
            redis.call('SREM', KEYS[3], m)
          end
        end
        """;

    private const string AddScript = """
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('SREM', KEYS[3], ARGV[1] .. ' ' .. ARGV[2])
        """ + "\n" + CountOthers + "\n" + """
        redis.call('SADD', KEYS[3], ARGV[1] .. ' ' .. ARGV[2])
        redis.call('PEXPIRE', KEYS[3], ARGV[6])
        return others
        """;

    private const string RemoveScript = """
        redis.call('HDEL', KEYS[2], ARGV[2])
        redis.call('SREM', KEYS[3], ARGV[1] .. ' ' .. ARGV[2])
        """ + "\n" + CountOthers + "\n" + """
        return others
        """;

    /// <summary>How long a user's set lives without a change; refreshed by every join and leave of that user.</summary>
    private const long UserSetMilliseconds = 24 * 60 * 60 * 1000;

    private readonly Func<IDatabase> _database;
    private readonly string _prefix;
    private readonly long _timeoutMilliseconds;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Hosting.LogThrottle> _outageWarnings = new(StringComparer.Ordinal);
    private readonly string _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Channels whose hash in Redis may differ from this instance's connections: a change did not reach Redis.</summary>
    private readonly ConcurrentDictionary<string, byte> _stale = new(StringComparer.Ordinal);
    private int _refreshFailing;

    public RedisPresenceStore(Func<IDatabase> database, string site, TimeSpan timeout, ILogger logger)
    {
        _database = database;
        _prefix = "candy:" + site + ":presence:";
        _timeoutMilliseconds = (long)timeout.TotalMilliseconds;
        _logger = logger;
    }

    public override async Task<int> AddAsync(string channel, long id, PresenceConnection connection)
    {
        var local = await base.AddAsync(channel, id, connection);
        try
        {
            return await RunAsync(AddScript, channel, id, connection, connection.ToJson());
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            MarkStale(channel, e, "a new connection; it is counted on this instance and shared");
            return local;
        }
    }

    public override async Task MarkLingeringAsync(string channel, long id, PresenceConnection connection)
    {
        await base.MarkLingeringAsync(channel, id, connection);
        try
        {
            await _database().HashSetAsync(InstanceKey(channel, _instance), id, (connection with { Lingering = true }).ToJson());
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            MarkStale(channel, e, "a closing connection; it is corrected");
        }
    }

    public override async Task<int> RemoveAsync(string channel, long id, PresenceConnection connection)
    {
        var local = await base.RemoveAsync(channel, id, connection);
        try
        {
            return await RunAsync(RemoveScript, channel, id, connection, string.Empty);
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            MarkStale(channel, e, "a closed connection; it is removed there");
            return local;
        }
    }

    /// <summary>
    /// This instance's connections from memory (its hash in Redis is a copy of them), every other instance's from its
    /// hash; an instance whose hash has expired (it died) or emptied leaves the channel's set.
    /// </summary>
    public override async Task<IReadOnlyList<PresenceConnection>> ListAsync(string channel)
    {
        var database = _database();
        var instances = await database.SetMembersAsync(_prefix + channel + ":instances");
        var others = instances
            .Where(i => i != _instance)
            .Select(i => (Instance: i, Entries: database.HashValuesAsync(InstanceKey(channel, i!))))
            .ToList();
        var result = new List<PresenceConnection>(await base.ListAsync(channel));
        foreach (var (instance, entries) in others)
        {
            var values = await entries;
            if (values.Length == 0)
            {
                // A live instance adds itself back with its next connection.
                await database.SetRemoveAsync(_prefix + channel + ":instances", instance);
                continue;
            }

            PresenceEntries.Read(values, result);
        }

        return result;
    }

    /// <summary>
    /// Keeps this instance's hashes alive; a hash that is gone (Redis restarted, or an outage outlasted the timeout) is
    /// written again from what this instance holds, and a stale one is made to match it. While Redis is away the
    /// failure is logged once, and the channels stay stale until a refresh gets through.
    /// </summary>
    public async Task RefreshAsync()
    {
        var database = _database();
        try
        {
            // Pipelined, a slice of channels at a time: one round trip per slice rather than one per channel.
            foreach (var slice in _stale.Keys.Chunk(RefreshSlice))
            {
                foreach (var channel in slice)
                {
                    _stale.TryRemove(channel, out _);
                }

                await Task.WhenAll(slice.Select(channel => ReconcileAsync(database, channel)));
            }

            var expiry = TimeSpan.FromMilliseconds(_timeoutMilliseconds);
            foreach (var slice in Local.Keys.Chunk(RefreshSlice))
            {
                var kept = await Task.WhenAll(slice.Select(channel => database.KeyExpireAsync(InstanceKey(channel, _instance), expiry)));
                await Task.WhenAll(slice.Where((_, i) => !kept[i]).Select(channel => ReconcileAsync(database, channel)));
            }
        }
        catch (Exception e) when (RedisChannelBackplane.IsRedisFailure(e))
        {
            foreach (var channel in Local.Keys)
            {
                _stale[channel] = 0;
            }

            if (Interlocked.Exchange(ref _refreshFailing, 1) == 0)
            {
                _logger.LogWarning(e, "Presence: Redis cannot be reached to refresh this instance's entries; they are written again when it is back");
            }

            return;
        }

        if (Interlocked.Exchange(ref _refreshFailing, 0) == 1)
        {
            _logger.LogInformation("Presence: Redis is back; this instance's entries are written again");
        }
    }

    /// <summary>Makes this instance's hash of <paramref name="channel"/> hold exactly the connections the instance has.</summary>
    private async Task ReconcileAsync(IDatabase database, string channel)
    {
        try
        {
            Local.TryGetValue(channel, out var held);
            foreach (var field in await database.HashGetAllAsync(InstanceKey(channel, _instance)))
            {
                if (field.Name.TryParse(out long id) && held?.ContainsKey(id) != true && PresenceConnection.FromJson(field.Value!) is { } gone)
                {
                    await RunAsync(RemoveScript, channel, id, gone, string.Empty);
                }
            }

            foreach (var (id, connection) in held ?? [])
            {
                await RunAsync(AddScript, channel, id, connection, connection.ToJson());
            }
        }
        catch
        {
            _stale[channel] = 0;
            throw;
        }
    }

    /// <summary>A change of <paramref name="channel"/> did not reach Redis: the next refresh that does rewrites this instance's entries.</summary>
    private void MarkStale(string channel, Exception e, string change)
    {
        _stale[channel] = 0;
        if (_outageWarnings.GetOrAdd(change, static _ => new(TimeSpan.FromMinutes(1))).TryTake(out var unlogged))
        {
            // Every join and leave during an outage comes here: one line a minute for each kind of change, with a count of the rest.
            _logger.LogWarning(e, "Presence of channel {Channel}: Redis did not take {Change} at the next refresh ({Unlogged} more since the last one logged)", channel, change, unlogged);
        }
    }

    private async Task<int> RunAsync(string script, string channel, long id, PresenceConnection connection, string json)
    {
        var result = await _database().ScriptEvaluateAsync(
            script,
            [_prefix + channel + ":instances", InstanceKey(channel, _instance), _prefix + channel + ":u:" + connection.UserId],
            [_instance, id, json, _timeoutMilliseconds, _prefix + channel + ":i:", UserSetMilliseconds]);
        return (int)result;
    }

    private RedisKey InstanceKey(string channel, string instance) => _prefix + channel + ":i:" + instance;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Redis presence of instance {_instance}");
}
