namespace CandyPack.Identity;

/// <summary>The Lua scripts <see cref="UserStreamLimit"/> runs in Redis to count a user's streams.</summary>
internal static class UserStreamScripts
{
    // Answers nil when the stream is refused, else the members of the streams to close (none when there was room).
    public const string Admit = """
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
    public const string Refresh = """
        for i = 1, #KEYS do
          redis.call('ZADD', KEYS[i], 'XX', ARGV[1], ARGV[i + 2])
          redis.call('PEXPIRE', KEYS[i], ARGV[2])
        end
        return #KEYS
        """;
}
