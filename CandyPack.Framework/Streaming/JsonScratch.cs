using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CandyPack.Streaming;

/// <summary>
/// A buffer and JSON writer kept per thread by a formatter, so a value is serialised before any of its frame is written
/// (one that fails leaves no half frame behind) without allocating per message.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Lives as long as its thread; the writer holds no unmanaged resources.")]
internal sealed class JsonScratch
{
    // Keyed by the writer settings, not the options instance: holding a site's options would keep a reloaded site alive.
    private JavaScriptEncoder? _encoder;
    private bool _indented;
    private Utf8JsonWriter? _writer;
    private ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>
    /// <paramref name="data"/> as UTF-8 JSON written with <paramref name="encoder"/>; valid until this thread serialises again.
    /// </summary>
    /// <exception cref="NotSupportedException">The data cannot be serialised.</exception>
    public ReadOnlyMemory<byte> Serialize(object? data, JsonSerializerOptions json, JavaScriptEncoder? encoder)
    {
        if (_buffer.Capacity > 1 << 20)
        {
            // Do not keep a huge buffer alive per thread after one large message.
            _buffer = new ArrayBufferWriter<byte>(1024);
        }

        _buffer.ResetWrittenCount();
        var writer = Rent(json, encoder);
        try
        {
            if (data is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, data, data.GetType(), json);
            }

            writer.Flush();
        }
        finally
        {
            writer.Reset();
        }

        return _buffer.WrittenMemory;
    }

    private Utf8JsonWriter Rent(JsonSerializerOptions options, JavaScriptEncoder? encoder)
    {
        if (_writer is null || !ReferenceEquals(_encoder, encoder) || _indented != options.WriteIndented)
        {
            _encoder = encoder;
            _indented = options.WriteIndented;
            _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions
            {
                Encoder = encoder,
                Indented = options.WriteIndented,
                SkipValidation = true,
            });
            return _writer;
        }

        _writer.Reset(_buffer);
        return _writer;
    }
}
