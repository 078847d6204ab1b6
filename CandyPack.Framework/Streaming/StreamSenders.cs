namespace CandyPack.Streaming;

/// <summary>
/// The ways into a stream's connection. A sender's message is written at once, on the sender's own thread, when the
/// connection is idle, and else queued for its current owner; a batch of channel messages takes an idle connection
/// with one flush; a pulled producer's message is queued, waiting for room. An object that has to wait is serialised
/// here, once, so the queue counts its bytes.
/// </summary>
internal sealed class StreamSenders(StreamConnectionWriter writer, CandyStream stream, IStreamTransport transport, StreamQueue queue)
{
    private long _writtenDirectly;

    /// <summary>Application messages a sender wrote on its own thread into the idle connection, without queueing.</summary>
    public long WrittenDirectly => Volatile.Read(ref _writtenDirectly);

    /// <summary>
    /// Writes <paramref name="message"/> now, on the caller's thread, when the connection is idle; else queues it for
    /// the current owner. Never waits for the client. False when the queue is full or completed.
    /// </summary>
    public bool TryPush(in StreamMessage message)
    {
        if (queue.IsEmpty && writer.TryClaim())
        {
            if (WrittenNow(message))
            {
                writer.Run(inline: true, written: 1);
            }

            return true;
        }

        if (!queue.TryWrite(Queueable(message)))
        {
            return false;
        }

        // The owner may have let go between the two looks: then the queue is this thread's to write.
        if (writer.TryClaim())
        {
            writer.Run(inline: true, written: 0);
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
        if (!queue.IsEmpty || !writer.TryClaim())
        {
            return -1;
        }

        var taken = 0;
        var written = 0;
        foreach (var item in messages)
        {
            var message = StreamMessage.Share(select(item));
            if (transport.UnflushedBytes < StreamConnectionWriter.FlushThreshold)
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

        writer.Run(inline: true, written: written);
        return taken;
    }

    /// <summary>
    /// Queues for a pulled producer, waiting while the queue is full; the writing goes to the thread pool, so a fast
    /// producer's messages share flushes. Its objects stay objects until written: the producer is paced by the queue
    /// and never runs ahead of it, and serialising each one here made a generator of objects twice as costly.
    /// </summary>
    public ValueTask<bool> PullAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        if (queue.TryWrite(message))
        {
            writer.Wake();
            return ValueTask.FromResult(true);
        }

        return queue.IsCompleted ? ValueTask.FromResult(false) : WaitAndPullAsync(message, cancellationToken);
    }

    /// <summary>Writes as the owner on a sender's thread; false when the write failed and the stream is being finished.</summary>
    private bool WrittenNow(in StreamMessage message)
    {
        if (stream.Ending == StreamEnding.Cut)
        {
            return true;
        }

        try
        {
            writer.Write(message);
            if (message.Kind != StreamMessageKind.Heartbeat)
            {
                // Only the owner writes, so the count needs no atomic step.
                Volatile.Write(ref _writtenDirectly, _writtenDirectly + 1);
            }

            return true;
        }
        catch (Exception e)
        {
            writer.Failed(e);
            writer.FinishAsOwner(inline: true);
            return false;
        }
    }

    /// <summary>
    /// A pushed message about to wait in the queue: an object is serialised now, once, so the queue counts its bytes
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
        catch (Exception e) when (StreamConnectionWriter.IsUnserialisable(e))
        {
            return writer.Unserialisable(message, e);
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
                    writer.Wake();
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
