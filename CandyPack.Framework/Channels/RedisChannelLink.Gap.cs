namespace CandyPack.Channels;

/// <summary>
/// Taking shared messages in stream order, and noticing one the subscription missed while the channel stayed shared:
/// Redis pub/sub is at most once (Redis may drop a slow subscriber's messages, the client may hide a reconnect), so
/// each pub/sub message carries the id of the entry before it in the stream. When that is newer than the newest shared
/// id here, the entries between are read back from the stream (<see cref="RedisGapRecovery"/>) and delivered before
/// it; what the subscription brings meanwhile waits behind them. When the stream no longer holds them, subscribers
/// reconnect and get a <c>reset</c> for their last id, as after an outage.
/// </summary>
internal sealed partial class RedisChannelLink
{
    // Messages heard while a gap is read back, oldest first; null when no gap is being read.
    private List<Heard>? _gap;

    /// <summary>
    /// Ends reading back a gap begun at <paramref name="mark"/>: delivers <paramref name="missed"/> (the entries after
    /// the newest id heard up to <paramref name="upTo"/>, in stream order), or, when it is <see langword="null"/>
    /// (the stream no longer holds them), asks the subscribers to reconnect; then what waited behind them. Returns
    /// <see langword="false"/> when the channel stopped sharing meanwhile: the catch-up reads all of it instead.
    /// </summary>
    public bool FinishGap(int mark, ChannelMessageId upTo, IReadOnlyList<RedisMessage>? missed)
    {
        lock (_gate)
        {
            if (mark != _stops || _gap is not { } waiting)
            {
                return false;
            }

            _gap = null;
            if (missed is null)
            {
                State.AskSubscribersToReconnect();
            }

            var now = _backplane.Now;
            foreach (var message in missed ?? [])
            {
                if (message.Id > _heardId)
                {
                    Take(message.Id);
                    if (IsDeliverable(message.Origin, message.Number))
                    {
                        State.DeliverIfNewer(ChannelState.Entry(message.Id, message.Payload, message.Event, message.IsText, now));
                    }
                }
            }

            if (upTo > _heardId)
            {
                Take(upTo);
            }

            foreach (var heard in waiting)
            {
                TakeShared(heard);
            }

            ForgetDelivered();
            return true;
        }
    }

    /// <summary>
    /// Under the gate: a shared message in stream order; one delivered here first only moves the newest shared id. One
    /// that does not follow the newest id heard waits, with what comes after it, while the gap is read back. Ids are
    /// compared with the newest id heard, not the newest shared id: reading where the stream is (when the channel is
    /// new here) can find a message whose pub/sub copy has not arrived yet, and it is still delivered when it does.
    /// </summary>
    private void TakeShared(Heard heard)
    {
        if (heard.Entry.Id.StreamId <= _heardId)
        {
            return;
        }

        if (_held is not null)
        {
            // The catch-up decides where the newest shared id ends up, once it has read what came before.
            _held.Add(heard);
            return;
        }

        if (_gap is not null)
        {
            _gap.Add(heard);
            return;
        }

        if (!Follows(heard.Previous))
        {
            _gap = [heard];
            _backplane.Gaps.Start(this, _heardId, heard.Previous, _stops);
            return;
        }

        Take(heard.Entry.Id.StreamId);
        if (heard.Deliver)
        {
            State.DeliverIfNewer(heard.Entry);
        }
    }

    /// <summary>Under the gate: notes a shared id as heard, and as the newest shared id unless that is further on already.</summary>
    private void Take(ChannelMessageId id)
    {
        _heardId = id;
        if (id > _lastSharedId)
        {
            _lastSharedId = id;
        }
    }

    /// <summary>
    /// Under the gate: whether a message whose previous entry is <paramref name="previous"/> follows what this instance
    /// heard. Without an id heard (the channel is new here) or a previous entry there is nothing to compare; a previous
    /// entry older than the newest id heard means that one is no longer the stream's newest (the stream was made anew),
    /// and nothing between can be read back either.
    /// </summary>
    private bool Follows(ChannelMessageId previous) => previous.IsNone || _heardId.IsNone || previous <= _heardId;

    /// <summary>Under the gate: whether this instance's subscribers still need a shared message (this instance did not deliver it first, in an outage).</summary>
    private bool IsDeliverable(string origin, long number) => !(origin == _backplane.Origin && Outbox.WasDeliveredHere(number));

    /// <summary>A shared message the subscription brought: its entry, the id of the entry before it, and whether to deliver it here.</summary>
    private readonly record struct Heard(ChannelHistoryEntry Entry, ChannelMessageId Previous, bool Deliver);
}
