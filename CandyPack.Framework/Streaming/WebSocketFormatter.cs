using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CandyPack.Streaming;

/// <summary>
/// The WebSocket frame format, the one place it lives: each message is one text frame holding a JSON object
/// <c>{"data": value, "event": "name", "id": "id"}</c>, with <c>event</c> and <c>id</c> left out when absent. A string is
/// a JSON string, anything else the JSON value Server-Sent Events would carry. <c>end</c> is <c>{"event":"end"}</c> and the
/// reconnection hint <c>{"retry": ms}</c>.
/// </summary>
internal static class WebSocketFormatter
{
    /// <summary>The frame that ends a stream on purpose; the socket then closes with 1000.</summary>
    public static ReadOnlySpan<byte> End => """{"event":"end"}"""u8;

    private static ReadOnlySpan<byte> DataName => "data"u8;

    private static ReadOnlySpan<byte> EventName => "event"u8;

    private static ReadOnlySpan<byte> IdName => "id"u8;

    private static ReadOnlySpan<byte> RetryName => "retry"u8;

    [ThreadStatic]
    private static JsonScratch? t_json;

    /// <summary>Writes one message with the site's serialiser options; resets <paramref name="writer"/> onto <paramref name="output"/> first.</summary>
    /// <exception cref="NotSupportedException">The data cannot be serialised; the caller discards what was written.</exception>
    public static void WriteMessage(Utf8JsonWriter writer, IBufferWriter<byte> output, object? data, string? eventName, string? id, JsonSerializerOptions json)
    {
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WritePropertyName(DataName);
        if (data is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, data, data.GetType(), json);
        }

        WriteNames(writer, eventName, id);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Writes a message whose data is already JSON (<see cref="Serialize"/>); resets <paramref name="writer"/> onto <paramref name="output"/> first.</summary>
    public static void WriteJson(Utf8JsonWriter writer, IBufferWriter<byte> output, ReadOnlySpan<byte> json, string? eventName, string? id)
    {
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WritePropertyName(DataName);
        writer.WriteRawValue(json, skipInputValidation: true);
        WriteNames(writer, eventName, id);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// The JSON value <see cref="WriteMessage"/> would write as <paramref name="data"/> with a writer using
    /// <paramref name="encoder"/>, to be written later with <see cref="WriteJson"/>. Safe on any thread.
    /// </summary>
    /// <exception cref="NotSupportedException">The data cannot be serialised.</exception>
    public static byte[] Serialize(object? data, JsonSerializerOptions json, JavaScriptEncoder encoder) =>
        (t_json ??= new JsonScratch()).Serialize(data, json, encoder).ToArray();

    public static void WriteRetry(Utf8JsonWriter writer, IBufferWriter<byte> output, int milliseconds)
    {
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteNumber(RetryName, milliseconds);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Frames a shared message once, for every WebSocket connection that receives it.</summary>
    public static byte[] Frame(SharedMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Payload.Length + 64);

        // The frame is read by a WebSocket client, never embedded in HTML, so only what JSON requires is escaped.
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WritePropertyName(DataName);
        if (message.IsText)
        {
            writer.WriteStringValue(message.Payload.Span);
        }
        else
        {
            // The payload was made by the serialiser: it is one JSON value already.
            writer.WriteRawValue(message.Payload.Span, skipInputValidation: true);
        }

        WriteNames(writer, message.Event, message.Id);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNames(Utf8JsonWriter writer, string? eventName, string? id)
    {
        if (eventName is not null)
        {
            writer.WriteString(EventName, eventName);
        }

        if (id is not null)
        {
            writer.WriteString(IdName, id);
        }
    }
}
