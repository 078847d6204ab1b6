namespace CandyPack.Streaming;

/// <summary>
/// One thing a stream yields, independent of the transport: a data message (with optional event name and id),
/// a heartbeat, or a message already framed once for many connections.
/// </summary>
internal readonly struct StreamMessage
{
    private StreamMessage(StreamMessageKind kind, object? data, string? eventName, string? id, ReadOnlyMemory<byte> frame)
    {
        Kind = kind;
        Data = data;
        Event = eventName;
        Id = id;
        Frame = frame;
    }

    public static StreamMessage Heartbeat { get; } = new(StreamMessageKind.Heartbeat, null, null, null, default);

    public StreamMessageKind Kind { get; }

    public object? Data { get; }

    public string? Event { get; }

    public string? Id { get; }

    /// <summary>Transport bytes for <see cref="StreamMessageKind.Framed"/>.</summary>
    public ReadOnlyMemory<byte> Frame { get; }

    public static StreamMessage Message(object? data, string? eventName = null, string? id = null) =>
        new(StreamMessageKind.Data, data, eventName, id, default);

    public static StreamMessage Framed(ReadOnlyMemory<byte> frame) =>
        new(StreamMessageKind.Framed, null, null, null, frame);
}
