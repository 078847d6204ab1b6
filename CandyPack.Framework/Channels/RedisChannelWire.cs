using System.Text.Json;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// How channel messages are kept in Redis: an entry of the channel's stream has the payload (<c>d</c>), the event
/// name (<c>e</c>) and, for messages appended after an outage, the instance that had already delivered them
/// (<c>o</c>); the pub/sub message repeats them with the channel's name and the entry's id.
/// </summary>
internal static class RedisChannelWire
{
    // XADD and PUBLISH in one script: scripts run atomically, so publish order is id order on every instance.
    private const string AppendScript =
        """
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'd', ARGV[2], 'e', ARGV[3], 'o', ARGV[4])
        redis.call('PUBLISH', ARGV[5], ARGV[6] .. '\n' .. id .. '\n' .. ARGV[3] .. '\n' .. ARGV[4] .. '\n' .. ARGV[2])
        return id
        """;

    /// <summary>Appends to the stream <paramref name="key"/>, trimmed to <paramref name="maxLength"/>, and publishes; returns the id.</summary>
    public static async Task<string> AppendAsync(
        IDatabaseAsync database, RedisKey key, int maxLength, string pubSubChannel, string channel, string payload, string? eventName, string origin)
    {
        var result = await database.ScriptEvaluateAsync(
            AppendScript,
            [key],
            [maxLength, payload, eventName ?? string.Empty, origin, pubSubChannel, channel]);
        return result.ToString();
    }

    /// <summary>Reads a pub/sub message: <c>channel \n id \n event \n origin \n payload</c> (only the payload may hold line breaks).</summary>
    public static bool TryParse(string text, out PublishedMessage message)
    {
        message = default;
        var span = text.AsSpan();
        Span<Range> fields = stackalloc Range[5];
        if (span.Split(fields, '\n') != 5 || !ChannelMessageId.TryParse(span[fields[1]], out var id))
        {
            return false;
        }

        // Split puts everything after the fourth separator in the last range, line breaks included.
        message = new PublishedMessage(
            span[fields[0]].ToString(), id, NullIfEmpty(span[fields[2]].ToString()), span[fields[3]].ToString(), span[fields[4]].ToString());
        return true;
    }

    /// <exception cref="InvalidDataException">Redis gave an id that is not of the <c>ms-seq</c> form.</exception>
    public static ChannelMessageId Id(StreamEntry entry) =>
        ChannelMessageId.TryParse(entry.Id.ToString(), out var id) ? id : throw new InvalidDataException($"Redis gave a stream id of an unknown form: '{entry.Id}'.");

    public static string Origin(StreamEntry entry) => entry["o"].ToString();

    /// <summary>Frames a stream entry for this instance's subscribers.</summary>
    public static ChannelHistoryEntry Entry(StreamEntry entry, JsonSerializerOptions json, long now) =>
        ChannelState.Entry(Id(entry), entry["d"].ToString(), NullIfEmpty(entry["e"].ToString()), json, now);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A message as the pub/sub channel carries it.</summary>
    public readonly record struct PublishedMessage(string Channel, ChannelMessageId Id, string? Event, string Origin, string Payload);
}
