namespace CandyPack.Channels;

/// <summary>A delivered message as a channel keeps it: its id, when it arrived (Unix milliseconds) and its frame.</summary>
internal readonly record struct ChannelHistoryEntry(ChannelMessageId Id, long ReceivedAt, ReadOnlyMemory<byte> Frame);
