namespace CandyPack.Streaming;

/// <summary>
/// A stream's bounded queue (<c>stream.queue</c> messages, <c>stream.queueBytes</c> bytes) for what arrives while its
/// connection is busy. A small ring made on first use and dropped again once drained, so an idle stream holds no
/// buffer; pushed messages fail fast when it is full (the slow-consumer policy decides what then), pulled ones wait for
/// room. One message always fits, however large.
/// </summary>
internal sealed class StreamQueue(int capacity, int byteCapacity = int.MaxValue)
{
    private const int FirstSize = 4;

    private StreamMessage[]? _ring;
    private int _head;
    private int _count;
    private long _bytes;
    private bool _completed;
    private TaskCompletionSource? _room;

    /// <summary>Nothing queued (a racy look, confirmed under the lock by whoever acts on it).</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>How many messages wait (a racy look, for tests and diagnostics).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>No more messages will be queued.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed);

    /// <summary>Queues <paramref name="message"/>; false when the queue is full or completed.</summary>
    public bool TryWrite(in StreamMessage message)
    {
        lock (this)
        {
            var size = SizeOf(message);
            if (_completed || _count >= capacity || (_count > 0 && _bytes + size > byteCapacity))
            {
                return false;
            }

            _bytes += size;
            var ring = _ring;
            if (ring is null || _count == ring.Length)
            {
                ring = Grow();
            }

            ring[(_head + _count) % ring.Length] = message;
            Volatile.Write(ref _count, _count + 1);
            return true;
        }
    }

    /// <summary>Takes the oldest message; called by the connection's current writer only.</summary>
    public bool TryRead(out StreamMessage message)
    {
        TaskCompletionSource? room = null;
        lock (this)
        {
            if (_count == 0)
            {
                message = default;
                return false;
            }

            var ring = _ring!;
            message = ring[_head];
            ring[_head] = default;
            _bytes -= SizeOf(message);
            _head = (_head + 1) % ring.Length;
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                // Drained: an idle stream keeps no buffer; the next busy moment makes a small one again.
                _head = 0;
                _ring = null;
            }

            if (_room is not null && _count <= capacity / 2 && _bytes <= byteCapacity / 2)
            {
                room = _room;
                _room = null;
            }
        }

        room?.TrySetResult();
        return true;
    }

    /// <summary>No more messages: the writer drains what is queued and stops. Waiting producers are released.</summary>
    public void Complete()
    {
        TaskCompletionSource? room;
        lock (this)
        {
            Volatile.Write(ref _completed, true);
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }

    /// <summary>Completes when the queue has room for <paramref name="message"/> again (or completed); a pulled producer then tries again.</summary>
    public Task WaitForRoomAsync(in StreamMessage message, CancellationToken cancellationToken)
    {
        lock (this)
        {
            if (_completed || _count == 0 || (_count < capacity && _bytes + SizeOf(message) <= byteCapacity))
            {
                return Task.CompletedTask;
            }

            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>What a waiting message holds that the queue can see: a channel message's framed payload, a string's or bytes' length.</summary>
    private static long SizeOf(in StreamMessage message) => message.Data switch
    {
        SharedMessage shared => shared.Payload.Length,
        string text => text.Length,
        byte[] bytes => bytes.Length,
        ReadOnlyMemory<byte> memory => memory.Length,
        _ => 0,
    };

    private StreamMessage[] Grow()
    {
        var old = _ring;
        var ring = new StreamMessage[Math.Min(capacity, Math.Max(FirstSize, (old?.Length ?? 0) * 2))];
        for (var i = 0; i < _count; i++)
        {
            ring[i] = old![(_head + i) % old.Length];
        }

        _head = 0;
        _ring = ring;
        return ring;
    }
}
