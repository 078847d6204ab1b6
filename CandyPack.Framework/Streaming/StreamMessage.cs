namespace CandyPack.Streaming;

/// <summary>
/// One thing a stream yields, independent of the transport: a data message (with optional event name and id),
/// a heartbeat, or a message serialised once for many connections.
/// </summary>
internal readonly struct StreamMessage
{
    private StreamMessage(StreamMessageKind kind, object? data, string? eventName, string? id)
    {
        Kind = kind;
        Data = data;
        Event = eventName;
        Id = id;
    }

    public static StreamMessage Heartbeat { get; } = new(StreamMessageKind.Heartbeat, null, null, null);

    public StreamMessageKind Kind { get; }

    public object? Data { get; }

    public string? Event { get; }

    public string? Id { get; }

    /// <summary>The data of a <see cref="StreamMessageKind.Json"/> message.</summary>
    public ReadOnlySpan<byte> Json => (byte[])Data!;

    /// <summary>The message of a <see cref="StreamMessageKind.Shared"/> one.</summary>
    public SharedMessage? Shared => Data as SharedMessage;

    public static StreamMessage Message(object? data, string? eventName = null, string? id = null) =>
        new(StreamMessageKind.Data, data, eventName, id);

    /// <summary>This data message with its data serialised already (<see cref="IStreamTransport.Serialize"/>).</summary>
    public StreamMessage WithJson(byte[] json) => new(StreamMessageKind.Json, json, Event, Id);

    public static StreamMessage Share(SharedMessage message) =>
        new(StreamMessageKind.Shared, message, null, null);
}
