using System.Text;
using System.Text.Json;

namespace CandyPack.Streaming;

/// <summary>
/// A message serialised once for many connections, independent of the wire: an id, an event name and the UTF-8
/// payload (a string as it is, anything else as JSON), marked as text when it was a string. Each transport frames it at
/// most once, on first use, and every connection of that transport writes the same bytes.
/// </summary>
internal sealed class SharedMessage(string? id, string? eventName, ReadOnlyMemory<byte> payload, bool isText)
{
    /// <summary>One slot per transport that can frame a shared message.</summary>
    public const int SseTransport = 0;

    /// <inheritdoc cref="SseTransport"/>
    public const int WebSocketTransport = 1;

    private const int Transports = 2;

    private byte[]?[]? _frames;

    public string? Id { get; } = id;

    public string? Event { get; } = eventName;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>The payload is a string sent as it is, not JSON: a transport that frames in JSON quotes it.</summary>
    public bool IsText { get; } = isText;

    /// <exception cref="NotSupportedException">The data cannot be serialised to JSON; nothing was published.</exception>
    public static ReadOnlyMemory<byte> Serialize(object? data, JsonSerializerOptions json) => data is string text
        ? Encoding.UTF8.GetBytes(text)
        : JsonSerializer.SerializeToUtf8Bytes(data, data?.GetType() ?? typeof(object), json);

    /// <summary>This message framed by <paramref name="transport"/>, made on first use and kept for every later connection.</summary>
    public byte[] FrameFor(int transport, Func<SharedMessage, byte[]> frame)
    {
        var frames = Volatile.Read(ref _frames) ?? Interlocked.CompareExchange(ref _frames, new byte[]?[Transports], null) ?? _frames!;

        // Two writers may frame at once; both make the same bytes, and the first one kept is what everyone writes.
        return Volatile.Read(ref frames[transport]) ?? Interlocked.CompareExchange(ref frames[transport], frame(this), null) ?? frames[transport]!;
    }
}
