using System.Buffers;
using System.Text.Json;
using StackExchange.Redis;

namespace CandyPack.Channels.Presence;

/// <summary>
/// Reads the connections of another instance's hash (<see cref="PresenceConnection"/> JSON) in bulk: the fields by hand,
/// and the info objects of each slice of entries into one JSON array parsed once, so the list of a room of 10,000
/// builds ten documents rather than one per connection. Slices keep every buffer and document under the large object
/// heap's threshold, whose collections would otherwise set the list's slowest answers.
/// </summary>
internal static class PresenceEntries
{
    private const int Slice = 1000;

    /// <summary>Adds the connections in <paramref name="values"/> to <paramref name="into"/>.</summary>
    /// <exception cref="JsonException">An entry is not the JSON this store writes.</exception>
    public static void Read(RedisValue[] values, List<PresenceConnection> into)
    {
        into.EnsureCapacity(into.Count + values.Length);
        var infos = new ArrayBufferWriter<byte>(16 * 1024);
        var read = new (string UserId, long Since, bool Lingering, int Info)[Math.Min(Slice, values.Length)];
        for (var start = 0; start < values.Length; start += Slice)
        {
            var length = Math.Min(Slice, values.Length - start);
            infos.ResetWrittenCount();
            infos.Write("["u8);
            var count = 0;
            for (var i = 0; i < length; i++)
            {
                read[i] = ReadOne(((ReadOnlyMemory<byte>)values[start + i]).Span, infos, ref count);
            }

            infos.Write("]"u8);
            var elements = count == 0 ? default : JsonSerializer.Deserialize(infos.WrittenSpan, PresenceJson.Default.JsonElement);
            var next = count == 0 ? default : elements.EnumerateArray();
            for (var i = 0; i < length; i++)
            {
                var (userId, since, lingering, info) = read[i];
                JsonElement? element = null;
                if (info >= 0)
                {
                    next.MoveNext();
                    element = next.Current;
                }

                into.Add(new PresenceConnection(userId, since, element, lingering));
            }
        }
    }

    private static (string UserId, long Since, bool Lingering, int Info) ReadOne(ReadOnlySpan<byte> json, ArrayBufferWriter<byte> infos, ref int count)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A presence entry in Redis is not a JSON object.");
        }

        string? userId = null;
        var since = 0L;
        var lingering = false;
        var info = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("u"u8))
            {
                userId = reader.GetString();
            }
            else if (name.SequenceEqual("s"u8))
            {
                since = reader.GetInt64();
            }
            else if (name.SequenceEqual("l"u8))
            {
                lingering = reader.GetBoolean();
            }
            else if (name.SequenceEqual("i"u8) && reader.TokenType != JsonTokenType.Null)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (count > 0)
                {
                    infos.Write(","u8);
                }

                infos.Write(json[start..(int)reader.BytesConsumed]);
                info = count++;
            }
            else
            {
                reader.Skip();
            }
        }

        return (userId ?? throw new JsonException("A presence entry in Redis has no user (\"u\")."), since, lingering, info);
    }
}
