using CandyPack.Streaming;

namespace CandyPack.Channels;

/// <summary>
/// One request's subscription to a channel. While its missed messages are replayed it holds live ones back; then
/// it goes live and every message goes straight to the connection. Its own small lock orders the fan-out
/// against the end of the replay; the channel's lock is never held here.
/// </summary>
internal sealed class ChannelSubscriber(CandyStream stream, int pendingLimit, bool hidesJoinLeave = false)
{
    private readonly Lock _gate = new();
    private List<ChannelHistoryEntry>? _pending;
    private bool _live;

    public CandyStream Stream { get; } = stream;

    /// <summary>The newest id this connection has been given; older or equal ids are duplicates.</summary>
    public ChannelMessageId LastId { get; private set; }

    /// <summary>This subscriber did not ask for presence's <c>join</c> and <c>leave</c> events: the fan-out need not offer them.</summary>
    public bool HidesJoinLeave => hidesJoinLeave;

    /// <summary>True for a <c>join</c> or <c>leave</c> event of presence when this subscriber did not ask for them.</summary>
    public bool Hides(SharedMessage message) => hidesJoinLeave && IsJoinOrLeave(message);

    /// <summary>A <c>join</c> or <c>leave</c> event, which only subscribers who asked receive on a presence channel.</summary>
    public static bool IsJoinOrLeave(SharedMessage message) => message.Event is Presence.ChannelPresence.Join or Presence.ChannelPresence.Leave;

    /// <summary>Offers messages in id order; a live subscriber's connection gets the new ones together, with one flush.</summary>
    /// <param name="batch">The messages.</param>
    /// <param name="hasJoinOrLeave">Whether the batch holds a <c>join</c> or <c>leave</c> event, which the fan-out has looked at once for everyone.</param>
    public void Offer(ReadOnlySpan<ChannelHistoryEntry> batch, bool hasJoinOrLeave)
    {
        lock (_gate)
        {
            if (!_live || batch.Length == 1 || (hidesJoinLeave && hasJoinOrLeave))
            {
                foreach (var entry in batch)
                {
                    OfferLocked(entry);
                }

                return;
            }

            var fresh = 0;
            while (fresh < batch.Length && batch[fresh].Id <= LastId)
            {
                fresh++;
            }

            if (fresh < batch.Length)
            {
                LastId = batch[^1].Id;
                Stream.PushShared(batch[fresh..], static entry => entry.Message);
            }
        }
    }

    /// <summary>Ends the replay: <paramref name="replayedUpTo"/> is the newest id already written; held messages after it follow.</summary>
    public void GoLive(ChannelMessageId replayedUpTo)
    {
        lock (_gate)
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
                OfferLocked(entry);
            }

            _pending = null;
        }
    }

    private void OfferLocked(in ChannelHistoryEntry entry)
    {
        if (entry.Id <= LastId)
        {
            return;
        }

        if (_live)
        {
            LastId = entry.Id;
            if (!Hides(entry.Message))
            {
                Stream.PushShared(entry.Message);
            }

            return;
        }

        _pending ??= [];
        if (_pending.Count >= pendingLimit)
        {
            // Too much arrived during the replay: end without an end event, so the client reconnects and resumes.
            Stream.AskToReconnect();
            return;
        }

        _pending.Add(entry);
    }
}
