using CandyPack.Streaming;

namespace CandyPack.Channels;

/// <summary>A delivered message as a channel keeps it: its id, when it arrived (Unix milliseconds) and the message, not its framing.</summary>
internal readonly record struct ChannelHistoryEntry(ChannelMessageId Id, long ReceivedAt, SharedMessage Message);
