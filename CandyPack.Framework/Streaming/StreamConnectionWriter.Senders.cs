namespace CandyPack.Streaming;

/// <summary>The ways in: a sender's message written now when the connection is idle, else queued for its owner; a pulled producer's message queued, waiting for room.</summary>
internal sealed partial class StreamConnectionWriter
{
    /// <summary>
    /// Writes <paramref name="message"/> now, on the caller's thread, when the connection is idle; else queues it for
    /// the current owner. Never waits for the client. False when the queue is full or completed.
    /// </summary>
    public bool TryPush(in StreamMessage message)
    {
        if (queue.IsEmpty && TryClaim())
        {
            if (WrittenNow(message))
            {
                Run(inline: true, written: 1);
            }

            return true;
        }

        if (!queue.TryWrite(Queueable(message)))
        {
            return false;
        }

        // The owner may have let go between the two looks: then the queue is this thread's to write.
        if (TryClaim())
        {
            Run(inline: true, written: 0);
        }

        return true;
    }

    /// <summary>
    /// Takes <paramref name="messages"/> on the caller's thread when the connection is idle and nothing is queued:
    /// writes as many as one flush holds, queues the rest behind them within <c>stream.queue</c>, and flushes once.
    /// Returns how many it took: all, fewer when the queue filled (a slow consumer), or -1 (none) when the connection
    /// is busy: then they go one by one.
    /// </summary>
    public int TryWriteAllNow<T>(ReadOnlySpan<T> messages, Func<T, SharedMessage> select)
    {
        if (!queue.IsEmpty || !TryClaim())
        {
            return -1;
        }

        var taken = 0;
        var written = 0;
        foreach (var item in messages)
        {
            var message = StreamMessage.Share(select(item));
            if (transport.UnflushedBytes < FlushThreshold)
            {
                if (!WrittenNow(message))
                {
                    // The connection failed and is finished: nothing more to take.
                    return messages.Length;
                }

                written++;
            }
            else if (!queue.TryWrite(message))
            {
                break;
            }

            taken++;
        }

        Run(inline: true, written: written);
        return taken;
    }

    /// <summary>Queues for a pulled producer, waiting while the queue is full; the writing goes to the thread pool, so a fast producer's messages share flushes.</summary>
    public ValueTask<bool> PullAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        message = Queueable(message);
        if (queue.TryWrite(message))
        {
            Wake();
            return ValueTask.FromResult(true);
        }

        return queue.IsCompleted ? ValueTask.FromResult(false) : WaitAndPullAsync(message, cancellationToken);
    }

    /// <summary>Something changed while the connection may be idle (queued messages, the stream closing): an idle one is written on the thread pool.</summary>
    public void Wake()
    {
        if (TryClaim())
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>
    /// A message about to wait in the queue: an object is serialised now, once, so the queue counts its bytes
    /// (<c>stream.queueBytes</c>) and its writer writes those bytes. One written straight into an idle connection is
    /// serialised there instead, also once.
    /// </summary>
    private StreamMessage Queueable(in StreamMessage message)
    {
        if (message.Kind != StreamMessageKind.Data || message.Data is string or null)
        {
            return message;
        }

        try
        {
            return message.WithJson(transport.Serialize(message.Data));
        }
        catch (Exception e) when (IsUnserialisable(e))
        {
            return Unserialisable(message, e);
        }
    }

    private async ValueTask<bool> WaitAndPullAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await queue.WaitForRoomAsync(message, cancellationToken);
                if (queue.TryWrite(message))
                {
                    Wake();
                    return true;
                }

                if (queue.IsCompleted)
                {
                    return false;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
