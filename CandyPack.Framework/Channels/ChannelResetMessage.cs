namespace CandyPack.Channels;

/// <summary>The data of a <c>reset</c> event: the client's last id is older than the channel's history.</summary>
internal sealed record ChannelResetMessage(string Channel, string LastEventId, string Message);
