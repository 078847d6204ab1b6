namespace CandyPack.Channels;

/// <summary>
/// A channel message as Redis carries it: its stream id (<see cref="ChannelMessageId.None"/> before it is appended),
/// the payload as UTF-8 bytes, the event name, the instance that published it with that instance's number for it,
/// whether that instance delivered it to its own subscribers first (during an outage), and whether the payload is a
/// string sent as it is rather than JSON.
/// </summary>
internal sealed record RedisMessage(
    ChannelMessageId Id, ReadOnlyMemory<byte> Payload, string? Event, string Origin, long Number, bool DeliveredFirst, bool IsText)
{
    /// <summary>
    /// For a pub/sub message, its position: the id of the entry before it in the stream (<see cref="ChannelMessageId.None"/>
    /// when the stream was empty, and for an entry read from the stream, which needs none).
    /// </summary>
    public ChannelMessageId Previous { get; init; }
}
