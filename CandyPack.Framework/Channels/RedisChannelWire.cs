using System.Buffers.Text;
using System.Text;
using StackExchange.Redis;

namespace CandyPack.Channels;

/// <summary>
/// How channel messages are kept in Redis. An entry of the channel's stream has the payload as UTF-8 bytes
/// (<c>d</c>), the event name (<c>e</c>), the instance that published it (<c>o</c>) with that instance's number for
/// the message (<c>n</c>), <c>l</c> = 1 when that instance delivered it to its own subscribers first, during an
/// outage, and <c>t</c> = 1 when the payload is a string rather than JSON. The pub/sub message repeats them with the
/// channel's name, the entry's id and its position: the id of the entry appended before it, which the script keeps in
/// a small key next to the stream (empty when there is none yet). A subscriber whose newest id is older than that one
/// has missed a pub/sub message.
/// </summary>
internal static class RedisChannelWire
{
    // XADD and PUBLISH in one script, for each message given: scripts run atomically, so publish order is id order on
    // every instance. The id appended last is kept in KEYS[2], so each message names the one before it: a GET and a SET
    // per script, cheaper than reading the stream's newest entry (whose payload Lua would copy) or taking ids apart in
    // Lua. Lua strings are byte strings, so the payload goes through untouched. Returns the last id.
    private const string AppendScript =
        """
        local id
        local before = redis.call('GET', KEYS[2]) or ''
        for b = 3, #ARGV - 1, 6 do
          id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'd', ARGV[b + 1], 'e', ARGV[b + 2], 'o', ARGV[b + 3], 'n', ARGV[b + 4], 'l', ARGV[b + 5], 't', ARGV[b + 6])
          redis.call('PUBLISH', ARGV[2], ARGV[3] .. '\n' .. id .. '\n' .. before .. '\n' .. ARGV[b + 2] .. '\n' .. ARGV[b + 3] .. '\n' .. ARGV[b + 4] .. '\n' .. ARGV[b + 5] .. '\n' .. ARGV[b + 6] .. '\n' .. ARGV[b + 1])
          before = id
        end
        redis.call('SET', KEYS[2], id)
        return id
        """;

    private const int HeaderFields = 8;
    private const int FieldsPerMessage = 6;

    /// <summary>
    /// Appends a message to the stream <paramref name="keys"/>.Stream, trimmed to <paramref name="maxLength"/>, and
    /// publishes it with its position (kept in <paramref name="keys"/>.Last); returns the id. The command is queued
    /// before this returns, so calls made in order reach Redis in order.
    /// </summary>
    /// <exception cref="InvalidDataException">Redis gave an id that is not of the <c>ms-seq</c> form.</exception>
    public static async Task<ChannelMessageId> AppendAsync(
        IDatabaseAsync database, (RedisKey Stream, RedisKey Last) keys, int maxLength, RedisChannel pubSub, string channel, RedisMessage message)
    {
        var id = (await AppendAllAsync(database, keys, maxLength, pubSub, channel, [message])).ToString();
        return ChannelMessageId.TryParse(id, out var parsed) ? parsed : throw new InvalidDataException($"Redis gave a stream id of an unknown form: '{id}'.");
    }

    /// <summary>
    /// Appends and publishes <paramref name="messages"/> in order, in one round trip; as <see cref="AppendAsync"/>, the
    /// command is queued before this returns.
    /// </summary>
    public static Task<RedisResult> AppendAllAsync(
        IDatabaseAsync database, (RedisKey Stream, RedisKey Last) keys, int maxLength, RedisChannel pubSub, string channel, IReadOnlyList<RedisMessage> messages)
    {
        var values = new RedisValue[3 + (messages.Count * FieldsPerMessage)];
        (values[0], values[1], values[2]) = (maxLength, pubSub.ToString(), channel);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var at = 3 + (i * FieldsPerMessage);
            values[at] = message.Payload;
            values[at + 1] = message.Event ?? string.Empty;
            values[at + 2] = message.Origin;
            values[at + 3] = message.Number;
            values[at + 4] = message.DeliveredFirst ? "1" : string.Empty;
            values[at + 5] = message.IsText ? "1" : string.Empty;
        }

        return database.ScriptEvaluateAsync(AppendScript, [keys.Stream, keys.Last], values);
    }

    /// <summary>
    /// Reads a pub/sub message: <c>channel \n id \n position \n event \n origin \n number \n first \n text \n payload</c>
    /// (only the payload may hold line breaks); the position becomes <see cref="RedisMessage.Previous"/>.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> bytes, out string channel, out RedisMessage message)
    {
        channel = string.Empty;
        message = default!;
        var rest = bytes;
        Span<Range> fields = stackalloc Range[HeaderFields];
        for (var i = 0; i < HeaderFields; i++)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            if (end < 0)
            {
                return false;
            }

            var start = bytes.Length - rest.Length;
            fields[i] = start..(start + end);
            rest = rest[(end + 1)..];
        }

        var span = bytes.Span;
        if (!ChannelMessageId.TryParse(Encoding.UTF8.GetString(span[fields[1]]), out var id) ||
            !TryParsePosition(span[fields[2]], id, out var previous) ||
            !Utf8Parser.TryParse(span[fields[5]], out long number, out var used) || used != span[fields[5]].Length)
        {
            return false;
        }

        channel = Encoding.UTF8.GetString(span[fields[0]]);
        message = new RedisMessage(
            id, rest, NullIfEmpty(Encoding.UTF8.GetString(span[fields[3]])), Encoding.UTF8.GetString(span[fields[4]]), number, !span[fields[6]].IsEmpty, !span[fields[7]].IsEmpty)
        {
            Previous = previous,
        };
        return true;
    }

    /// <summary>Reads a stream entry.</summary>
    /// <exception cref="InvalidDataException">The entry is not one this framework wrote.</exception>
    public static RedisMessage Read(StreamEntry entry)
    {
        var number = entry["n"];
        if (!ChannelMessageId.TryParse(entry.Id.ToString(), out var id) || !number.TryParse(out long parsed))
        {
            throw new InvalidDataException($"Redis stream entry '{entry.Id}' is not a channel message of this framework.");
        }

        return new RedisMessage(id, (byte[]?)entry["d"] ?? [], NullIfEmpty(entry["e"].ToString()), entry["o"].ToString(), parsed, entry["l"] == "1", entry["t"] == "1");
    }

    /// <summary>Reads the id of a stream entry.</summary>
    /// <exception cref="InvalidDataException">Redis gave an id that is not of the <c>ms-seq</c> form.</exception>
    public static ChannelMessageId Id(StreamEntry entry) =>
        ChannelMessageId.TryParse(entry.Id.ToString(), out var id) ? id : throw new InvalidDataException($"Redis gave a stream id of an unknown form: '{entry.Id}'.");

    /// <summary>Reads a position: the id of the entry before <paramref name="id"/>, which it must precede, or none (empty).</summary>
    private static bool TryParsePosition(ReadOnlySpan<byte> text, ChannelMessageId id, out ChannelMessageId previous)
    {
        previous = ChannelMessageId.None;
        return text.IsEmpty ||
            (ChannelMessageId.TryParse(Encoding.UTF8.GetString(text), out previous) && previous.Origin is null && previous < id);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
