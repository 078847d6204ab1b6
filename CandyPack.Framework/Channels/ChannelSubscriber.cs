namespace CandyPack.Channels;

/// <summary>
/// One request's subscription to a channel. While its missed messages are replayed it holds live ones back; then
/// it goes live and every frame goes straight to the connection's queue. Called only under the channel's lock.
/// </summary>
internal sealed class ChannelSubscriber(CandyStream stream, int pendingLimit)
{
    private List<ChannelHistoryEntry>? _pending;
    private bool _live;

    public CandyStream Stream { get; } = stream;

    /// <summary>The newest id this connection has been given; older or equal ids are duplicates.</summary>
    public ChannelMessageId LastId { get; private set; }

    public void Offer(in ChannelHistoryEntry entry)
    {
        if (entry.Id <= LastId)
        {
            return;
        }

        if (_live)
        {
            LastId = entry.Id;
            Stream.PushFramed(entry.Frame);
            return;
        }

        _pending ??= [];
        if (_pending.Count >= pendingLimit)
        {
            // Too much arrived during the replay: end without an end event, so the client reconnects and resumes.
            Stream.Disconnect();
            return;
        }

        _pending.Add(entry);
    }

    /// <summary>Ends the replay: <paramref name="replayedUpTo"/> is the newest id already written; held messages after it follow.</summary>
    public void GoLive(ChannelMessageId replayedUpTo)
    {
        if (replayedUpTo > LastId)
        {
            LastId = replayedUpTo;
        }

        _live = true;
        if (_pending is null)
        {
            return;
        }

        foreach (var entry in _pending)
        {
            Offer(entry);
        }

        _pending = null;
    }
}
