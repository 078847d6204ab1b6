using System.Buffers;
using System.Text.Json;
using StackExchange.Redis;

namespace CandyPack.Channels.Presence;

/// <summary>
/// Reads the connections of another instance's hash (<see cref="PresenceConnection"/> JSON) in bulk: the fields by hand,
/// and every info object into one JSON array parsed once, so the list of a room of 10,000 builds one document rather
/// than one per connection.
/// </summary>
internal static class PresenceEntries
{
    /// <summary>Adds the connections in <paramref name="values"/> to <paramref name="into"/>.</summary>
    /// <exception cref="JsonException">An entry is not the JSON this store writes.</exception>
    public static void Read(RedisValue[] values, List<PresenceConnection> into)
    {
        var infos = new ArrayBufferWriter<byte>(values.Length * 32 + 2);
        infos.Write("["u8);
        var count = 0;
        var read = new (string UserId, long Since, bool Lingering, int Info)[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            read[i] = ReadOne(((ReadOnlyMemory<byte>)values[i]).Span, infos, ref count);
        }

        infos.Write("]"u8);
        var elements = count == 0 ? [] : JsonSerializer.Deserialize(infos.WrittenSpan, PresenceJson.Default.JsonElement).EnumerateArray().ToArray();
        foreach (var (userId, since, lingering, info) in read)
        {
            into.Add(new PresenceConnection(userId, since, info < 0 ? null : elements[info], lingering));
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
