namespace CandyPack.Channels;

/// <summary>
/// What a reconnecting client missed: the messages after its last id, or a reset when the history no longer reaches
/// back that far. <see cref="Newest"/> is the channel's newest id when it was read.
/// </summary>
internal readonly record struct ChannelReplay(bool Reset, List<ChannelHistoryEntry> Missed, ChannelMessageId Newest)
{
    public static ChannelReplay ResetTo(ChannelMessageId newest) => new(true, [], newest);
}
