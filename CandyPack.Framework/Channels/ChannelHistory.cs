namespace CandyPack.Channels;

/// <summary>
/// A channel's last <c>history</c> messages in a ring, oldest first. Not thread-safe: the owning
/// <see cref="ChannelState"/> calls it under its lock.
/// </summary>
internal sealed class ChannelHistory(int capacity)
{
    private const int InitialSize = 16;

    // Grows to the capacity as messages come, so a quiet channel (one per user, say) costs little.
    private ChannelHistoryEntry[] _entries = new ChannelHistoryEntry[Math.Clamp(capacity, 0, InitialSize)];
    private int _start;
    private int _count;

    public int Count => _count;

    public void Add(in ChannelHistoryEntry entry)
    {
        if (_entries.Length == 0)
        {
            return;
        }

        if (_count == _entries.Length && _entries.Length < capacity)
        {
            var grown = new ChannelHistoryEntry[Math.Min(_entries.Length * 2, capacity)];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = At(i);
            }

            _entries = grown;
            _start = 0;
        }

        if (_count < _entries.Length)
        {
            _entries[(_start + _count) % _entries.Length] = entry;
            _count++;
            return;
        }

        _entries[_start] = entry;
        _start = (_start + 1) % _entries.Length;
    }

    /// <summary>
    /// Copies the messages after <paramref name="after"/> into <paramref name="into"/>, when <paramref name="after"/> is
    /// still kept; <see langword="false"/> when it has left the history, so messages after it may be lost.
    /// </summary>
    public bool TryCopyAfter(ChannelMessageId after, List<ChannelHistoryEntry> into)
    {
        // Ids grow along the ring, so a binary search finds the client's last message.
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var comparison = At(middle).Id.CompareTo(after);
            if (comparison == 0)
            {
                for (var i = middle + 1; i < _count; i++)
                {
                    into.Add(At(i));
                }

                return true;
            }

            if (comparison < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return false;
    }

    /// <summary>Copies the newest <paramref name="count"/> messages (fewer when fewer are kept) received at or after <paramref name="oldestAllowed"/>, oldest first.</summary>
    public void CopyLast(int count, long oldestAllowed, List<ChannelHistoryEntry> into)
    {
        for (var i = Math.Max(0, _count - count); i < _count; i++)
        {
            if (At(i).ReceivedAt >= oldestAllowed)
            {
                into.Add(At(i));
            }
        }
    }

    private ref readonly ChannelHistoryEntry At(int index) => ref _entries[(_start + index) % _entries.Length];
}
