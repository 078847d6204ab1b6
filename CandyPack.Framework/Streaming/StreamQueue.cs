namespace CandyPack.Streaming;

/// <summary>
/// A stream's bounded queue (<c>stream.queue</c> messages) for what arrives while its connection is busy. A small ring
/// made on first use and dropped again once drained, so an idle stream holds no buffer; pushed messages fail fast
/// when it is full (the slow-consumer policy decides what then), pulled ones wait for room.
/// </summary>
internal sealed class StreamQueue(int capacity)
{
    private const int FirstSize = 4;

    private StreamMessage[]? _ring;
    private int _head;
    private int _count;
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
            if (_completed || _count >= capacity)
            {
                return false;
            }

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
            _head = (_head + 1) % ring.Length;
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                // Drained: an idle stream keeps no buffer; the next busy moment makes a small one again.
                _head = 0;
                _ring = null;
            }

            if (_room is not null && _count <= capacity / 2)
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

    /// <summary>Completes when the queue has room again (or completed); a pulled producer then tries again.</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        lock (this)
        {
            if (_completed || _count < capacity)
            {
                return Task.CompletedTask;
            }

            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(cancellationToken);
        }
    }

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
