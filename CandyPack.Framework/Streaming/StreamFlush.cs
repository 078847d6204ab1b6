using System.IO.Pipelines;

namespace CandyPack.Streaming;

/// <summary>
/// The flushes of a stream's connection: counted as sent, and when the client holds one up (backpressure, or a
/// transport whose send is asynchronous), awaited by a continuation that owns the connection meanwhile and runs the
/// writer again once it completes. Since when a flush has waited is what the stall watch reads.
/// </summary>
internal sealed class StreamFlush(StreamConnectionWriter writer)
{
    private long _pendingSince;

    /// <summary>Since when a flush has waited for the client (<see cref="Environment.TickCount64"/>), or 0 when none is waiting.</summary>
    public long PendingSince => Volatile.Read(ref _pendingSince);

    /// <summary>Flushes, counting <paramref name="messages"/> and the bytes written since the last flush as sent.</summary>
    public ValueTask<FlushResult> FlushAsync(long messages)
    {
        if (messages > 0 && Hosting.CandyMetrics.MessagesSent.Enabled)
        {
            Hosting.CandyMetrics.MessagesSent.Add(messages);
            Hosting.CandyMetrics.BytesSent.Add(writer.Transport.UnflushedBytes);
        }

        return writer.Transport.FlushAsync();
    }

    /// <summary>
    /// Flushes as the owner; true when the flush completed at once and the connection is still there. Else the
    /// continuation (or the cut) owns it now.
    /// </summary>
    public bool Flushed(long written)
    {
        var flush = FlushAsync(written);
        if (!flush.IsCompleted)
        {
            // The continuation observes every outcome of the flush; nothing escapes it.
            _ = ContinueAfterFlushAsync(flush);
            return false;
        }

        if (flush.Result.IsCompleted)
        {
            writer.Stream.Cut("the connection closed", abort: false);
        }

        return true;
    }

    /// <summary>A flush the client holds up: the registry's timer cuts the connection if it waits past <c>stream.writeTimeout</c>.</summary>
    private async Task ContinueAfterFlushAsync(ValueTask<FlushResult> flush)
    {
        Volatile.Write(ref _pendingSince, Environment.TickCount64);
        try
        {
            if ((await flush).IsCompleted)
            {
                writer.Stream.Cut("the connection closed", abort: false);
            }
        }
        catch (Exception e)
        {
            writer.Failed(e);
        }
        finally
        {
            Volatile.Write(ref _pendingSince, 0);
        }

        writer.Run(inline: false, written: 0);
    }
}
