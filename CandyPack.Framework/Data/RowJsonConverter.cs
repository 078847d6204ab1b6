using System.Text.Json;
using System.Text.Json.Serialization;

namespace CandyPack.Data;

/// <summary>Writes a <see cref="Row"/> as a JSON object, column names as they are, JSON columns inline.</summary>
internal sealed class RowJsonConverter : JsonConverter<Row>
{
    public override Row Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A Row is read from the database; deserialise JSON into a class of your own instead.");

    public override void Write(Utf8JsonWriter writer, Row value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        for (var i = 0; i < value.Count; i++)
        {
            writer.WritePropertyName(value.NameAt(i));
            switch (value.ValueAt(i))
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                case int number:
                    writer.WriteNumberValue(number);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case double number:
                    writer.WriteNumberValue(number);
                    break;
                case decimal number:
                    writer.WriteNumberValue(number);
                    break;
                case DateTime date:
                    writer.WriteStringValue(date);
                    break;
                case JsonElement json:
                    json.WriteTo(writer);
                    break;
                case var other:
                    JsonSerializer.Serialize(writer, other, other.GetType(), options);
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
