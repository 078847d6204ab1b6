using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// Where a site's channels live in Redis and the commands that reach them: each channel's stream (its shared history,
/// trimmed to the history length of its namespace) with the key that holds the id appended last (the position the next
/// message carries), the one pub/sub channel that carries every channel's messages, and the set
/// of messages an instance delivered first during an outage whose appends had timed out (see
/// <see cref="RedisChannelWire"/> for the format of an entry).
/// </summary>
internal sealed class RedisChannelStreams(ConnectionMultiplexer redis, string site, ChannelNamespaces namespaces)
{
    private static readonly TimeSpan DeliveredFirstLifetime = TimeSpan.FromDays(1);

    private readonly string _streamPrefix = "candy:" + site + ":channel:";
    private readonly string _lastPrefix = "candy:" + site + ":channel-last:";
    private readonly string _deliveredFirstPrefix = "candy:" + site + ":delivered-first:";

    /// <summary>The pub/sub channel that carries every channel's messages of the site.</summary>
    public RedisChannel PubSub { get; } = RedisChannel.Literal("candy:" + site + ":channels");

    /// <summary>
    /// Appends a message to the channel's stream and publishes it in one atomic step; returns its id. The command is
    /// queued before this returns, so calls made in order reach Redis in order.
    /// </summary>
    public Task<ChannelMessageId> AppendAsync(string channel, RedisMessage message) =>
        RedisChannelWire.AppendAsync(redis.GetDatabase(), AppendKeys(channel), MaxLength(channel), PubSub, channel, message);

    /// <summary>Appends and publishes <paramref name="messages"/> in order, in one round trip, queued before this returns.</summary>
    public Task AppendAllAsync(string channel, IReadOnlyList<RedisMessage> messages) =>
        RedisChannelWire.AppendAllAsync(redis.GetDatabase(), AppendKeys(channel), MaxLength(channel), PubSub, channel, messages);

    /// <summary>The channel's stream from <paramref name="from"/> (included) to <paramref name="to"/>.</summary>
    public Task<StreamEntry[]> RangeAsync(string channel, RedisValue from, RedisValue to) =>
        redis.GetDatabase().StreamRangeAsync(StreamKey(channel), from, to);

    /// <summary>The channel's newest <paramref name="count"/> entries, newest first.</summary>
    public Task<StreamEntry[]> NewestAsync(string channel, int count) =>
        redis.GetDatabase().StreamRangeAsync(StreamKey(channel), "-", "+", count, Order.Descending);

    /// <summary>The id of the channel's newest entry, or <see cref="ChannelMessageId.None"/> when its stream is empty.</summary>
    public async Task<ChannelMessageId> NewestIdAsync(string channel)
    {
        var newest = await NewestAsync(channel, 1);
        return newest.Length > 0 ? RedisChannelWire.Id(newest[0]) : ChannelMessageId.None;
    }

    /// <summary>Notes messages of <paramref name="origin"/> as delivered first by it, for a day, for resumes on other instances.</summary>
    public async Task NoteDeliveredFirstAsync(string channel, string origin, IReadOnlyCollection<long> numbers)
    {
        var database = redis.GetDatabase();
        var key = DeliveredFirstKey(channel);
        await database.SetAddAsync(key, [.. numbers.Select(n => Member(origin, n))]);
        await database.KeyExpireAsync(key, DeliveredFirstLifetime);
    }

    /// <summary>For each number, whether <see cref="NoteDeliveredFirstAsync"/> noted that message of <paramref name="origin"/>.</summary>
    public Task<bool[]> WereDeliveredFirstAsync(string channel, string origin, IReadOnlyList<long> numbers) =>
        redis.GetDatabase().SetContainsAsync(DeliveredFirstKey(channel), [.. numbers.Select(n => Member(origin, n))]);

    /// <summary>The entries the channel's stream keeps: its namespace's history, and at least one, which gives the newest id.</summary>
    private int MaxLength(string channel) => Math.Max(namespaces.For(channel).History, 1);

    private RedisKey StreamKey(string channel) => _streamPrefix + channel;

    private (RedisKey Stream, RedisKey Last) AppendKeys(string channel) => (StreamKey(channel), _lastPrefix + channel);

    private RedisKey DeliveredFirstKey(string channel) => _deliveredFirstPrefix + channel;

    private static RedisValue Member(string origin, long number) => origin + "." + number;
}
