using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CandyPack.Streaming;

/// <summary>
/// Server-Sent Events framing (WHATWG HTML §9.2.6), the one place it lives. Strings are sent as they are and
/// anything else as JSON; every line of a payload gets its own <c>data:</c> field, whichever of CR LF, CR or LF
/// ends it, so a receiver rebuilds the payload with LF line breaks.
/// </summary>
internal static class SseFormatter
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventPrefix => "event: "u8;

    private static ReadOnlySpan<byte> IdPrefix => "id: "u8;

    private static ReadOnlySpan<byte> RetryPrefix => "retry: "u8;

    /// <summary>A comment line, ignored by parsers; keeps intermediaries from timing an idle stream out.</summary>
    public static ReadOnlySpan<byte> Heartbeat => ": heartbeat\n\n"u8;

    /// <summary>
    /// The <c>end</c> event. Its data field is present but empty: the spec drops an event whose data buffer is
    /// empty, and <c>data:</c> with no value makes the buffer a single LF, which is dispatched as "".
    /// </summary>
    public static ReadOnlySpan<byte> End => "event: end\ndata: \n\n"u8;

    [ThreadStatic]
    private static JsonScratch? t_json;

    /// <exception cref="NotSupportedException">The data cannot be serialised; nothing has been written.</exception>
    public static void WriteMessage(IBufferWriter<byte> writer, object? data, string? eventName, string? id, JsonSerializerOptions json)
    {
        if (data is string text)
        {
            WriteNames(writer, eventName, id);
            WriteDataLines(writer, text);
            writer.Write("\n"u8);
            return;
        }

        // JSON goes to a per-thread scratch buffer first, so a value that fails to serialise throws before any byte
        // of a half-written frame reaches the connection.
        WriteJson(writer, SerializeJson(data, json).Span, eventName, id);
    }

    /// <summary>Writes a message whose data is already UTF-8 JSON (<see cref="Serialize"/>).</summary>
    public static void WriteJson(IBufferWriter<byte> writer, ReadOnlySpan<byte> json, string? eventName, string? id)
    {
        WriteNames(writer, eventName, id);

        // Compact JSON is one line; indented JSON is split like any other multi-line payload.
        WriteDataLines(writer, json);
        writer.Write("\n"u8);
    }

    /// <summary>The JSON <see cref="WriteMessage"/> would write for <paramref name="data"/>, to be written later with <see cref="WriteJson"/>.</summary>
    /// <exception cref="NotSupportedException">The data cannot be serialised.</exception>
    public static byte[] Serialize(object? data, JsonSerializerOptions json) => SerializeJson(data, json).ToArray();

    public static void WriteRetry(IBufferWriter<byte> writer, int milliseconds)
    {
        writer.Write(RetryPrefix);
        var span = writer.GetSpan(11);
        milliseconds.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        writer.Advance(written);
        writer.Write("\n\n"u8);
    }

    /// <summary>Frames a shared message once, for writing to every SSE connection that receives it.</summary>
    public static byte[] Frame(SharedMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Payload.Length + 64);
        WriteNames(buffer, message.Event, message.Id);

        // A string payload and compact JSON frame alike: each line of the UTF-8 payload is a data field.
        WriteDataLines(buffer, message.Payload.Span);
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNames(IBufferWriter<byte> writer, string? eventName, string? id)
    {
        if (eventName is not null)
        {
            WriteField(writer, EventPrefix, eventName);
        }

        if (id is not null)
        {
            WriteField(writer, IdPrefix, id);
        }
    }

    private static void WriteField(IBufferWriter<byte> writer, ReadOnlySpan<byte> prefix, string value)
    {
        writer.Write(prefix);
        Encoding.UTF8.GetBytes(value, writer);
        writer.Write("\n"u8);
    }

    private static void WriteDataLines(IBufferWriter<byte> writer, ReadOnlySpan<char> text)
    {
        while (true)
        {
            var end = text.IndexOfAny('\r', '\n');
            writer.Write(DataPrefix);
            Encoding.UTF8.GetBytes(end < 0 ? text : text[..end], writer);
            writer.Write("\n"u8);
            if (end < 0)
            {
                return;
            }

            var skip = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1;
            text = text[(end + skip)..];
        }
    }

    private static void WriteDataLines(IBufferWriter<byte> writer, ReadOnlySpan<byte> utf8)
    {
        while (true)
        {
            var end = utf8.IndexOfAny((byte)'\r', (byte)'\n');
            writer.Write(DataPrefix);
            writer.Write(end < 0 ? utf8 : utf8[..end]);
            writer.Write("\n"u8);
            if (end < 0)
            {
                return;
            }

            var skip = utf8[end] == '\r' && end + 1 < utf8.Length && utf8[end + 1] == '\n' ? 2 : 1;
            utf8 = utf8[(end + skip)..];
        }
    }

    private static ReadOnlyMemory<byte> SerializeJson(object? data, JsonSerializerOptions json) =>
        (t_json ??= new JsonScratch()).Serialize(data, json, json.Encoder);
}
