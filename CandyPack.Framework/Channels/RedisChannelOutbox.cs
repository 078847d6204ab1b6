using Microsoft.AspNetCore.Http;

namespace CandyPack.Channels;

/// <summary>
/// The messages of one channel delivered here first while Redis was away, oldest first, until they are appended to
/// its stream; and the numbers of those delivered here first whose entries this instance has not read back yet. Its
/// lock is taken after the channel link's, never before.
/// </summary>
internal sealed class RedisChannelOutbox
{
    /// <summary>Messages an outbox keeps at most; a publish past it answers 503.</summary>
    public const int Limit = 10_000;

    private readonly Lock _gate = new();
    private readonly Queue<Entry> _messages = new();
    private readonly HashSet<long> _deliveredHere = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <exception cref="BadHttpRequestException">503: the outbox holds <see cref="Limit"/> messages.</exception>
    public void EnsureRoom(string channel)
    {
        if (Count >= Limit)
        {
            throw new BadHttpRequestException(
                $"Channel '{channel}': Redis is unreachable and {Limit} messages published here wait for it; this one was not published. Publish it again once Redis is back.",
                StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>Keeps a message delivered here; <paramref name="inDoubt"/> when an append of it failed, which Redis may have run anyway.</summary>
    public void Add(RedisMessage message, bool inDoubt)
    {
        lock (_gate)
        {
            _messages.Enqueue(new Entry(message with { DeliveredFirst = true }) { InDoubt = inDoubt });
            _deliveredHere.Add(message.Number);
        }
    }

    /// <summary>Whether this instance delivered its message <paramref name="number"/> here first and has not read its entry back.</summary>
    public bool WasDeliveredHere(long number)
    {
        lock (_gate)
        {
            return _deliveredHere.Contains(number);
        }
    }

    /// <summary>The numbers of the messages delivered here first, as they are now.</summary>
    public HashSet<long> DeliveredHere()
    {
        lock (_gate)
        {
            return [.. _deliveredHere];
        }
    }

    /// <summary>Forgets numbers whose entries were read back: a pub/sub copy that comes later is older than the newest shared id.</summary>
    public void ForgetDeliveredHere(HashSet<long> read)
    {
        lock (_gate)
        {
            _deliveredHere.ExceptWith(read);
        }
    }

    /// <summary>The numbers of the messages whose append failed.</summary>
    public HashSet<long> InDoubt()
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => m.InDoubt).Select(m => m.Message.Number)];
        }
    }

    /// <summary>Drops the messages in doubt that the stream turned out to hold.</summary>
    public void DropAppended(HashSet<long> inStream)
    {
        lock (_gate)
        {
            var kept = _messages.Where(m => !(m.InDoubt && inStream.Contains(m.Message.Number))).ToList();
            _messages.Clear();
            foreach (var message in kept)
            {
                _messages.Enqueue(message);
            }
        }
    }

    /// <summary>The messages as they are now, oldest first.</summary>
    public RedisMessage[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _messages.Select(m => m.Message)];
        }
    }

    /// <summary>The oldest <paramref name="count"/> messages were appended: they leave (the outbox only grew behind them).</summary>
    public void Appended(int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _messages.Dequeue();
            }
        }
    }

    /// <summary>Appending the oldest <paramref name="count"/> messages failed, and some may have run: the next catch-up looks in the stream first.</summary>
    public void AppendFailed(int count)
    {
        lock (_gate)
        {
            foreach (var message in _messages.Take(count))
            {
                message.InDoubt = true;
            }
        }
    }

    private sealed class Entry(RedisMessage message)
    {
        public RedisMessage Message { get; } = message;

        public bool InDoubt { get; set; }
    }
}
