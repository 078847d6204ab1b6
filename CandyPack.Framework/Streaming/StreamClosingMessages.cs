using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// What follows a stream's drained queue: the failure it closed with, a reconnection hint, and <c>end</c> when it ended on
/// purpose, then the transport's close. Written once both the request's endpoint (its handler has returned) and the
/// writer (the stream has finished) have arrived here, by whichever arrives second; an endpoint that comes first waits
/// on this object, with no task or suspended method of its own.
/// </summary>
internal sealed class StreamClosingMessages(StreamConnectionWriter writer)
    : IValueTaskSource
{
    private const int NeitherArrived = 0;
    private const int EndpointArrived = 1;
    private const int WriterArrived = 2;

    private int _rendezvous;
    private ManualResetValueTaskSourceCore<bool> _written = new() { RunContinuationsAsynchronously = true };

    /// <summary>The endpoint arrives: completes when the closing messages are written, by this call if the writer came first.</summary>
    public ValueTask EndpointArrivesAsync()
    {
        if (Interlocked.CompareExchange(ref _rendezvous, EndpointArrived, NeitherArrived) == WriterArrived)
        {
            return WriteAsync();
        }

        return new ValueTask(this, _written.Version);
    }

    /// <summary>The writer arrives as it finishes: if the endpoint already waits, the closing messages are written now.</summary>
    public void WriterArrives()
    {
        if (Interlocked.CompareExchange(ref _rendezvous, WriterArrived, NeitherArrived) != EndpointArrived)
        {
            return;
        }

        ValueTask writing;
        try
        {
            writing = WriteAsync();
        }
        catch (Exception e)
        {
            _written.SetException(e);
            return;
        }

        if (writing.IsCompletedSuccessfully)
        {
            _written.SetResult(true);
            return;
        }

        _ = SignalWhenWrittenAsync(writing);
    }

    void IValueTaskSource.GetResult(short token) => _written.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _written.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _written.OnCompleted(continuation, state, token, flags);

    /// <summary>Hands the outcome of a slow closing write to the waiting endpoint; nothing escapes it.</summary>
    private async Task SignalWhenWrittenAsync(ValueTask writing)
    {
        try
        {
            await writing;
            _written.SetResult(true);
        }
        catch (Exception e)
        {
            _written.SetException(e);
        }
    }

    /// <summary>
    /// Writes the failure, a reconnection hint and <c>end</c>, then lets the transport close the connection the way the
    /// stream ended (a WebSocket's close status); the stream has finished, so nobody else writes to it any more.
    /// </summary>
    private async ValueTask WriteAsync()
    {
        try
        {
            await WriteMessagesAsync();
        }
        finally
        {
            await writer.Transport.CloseAsync(writer.Stream.Ending);
        }
    }

    private ValueTask WriteMessagesAsync()
    {
        var ending = writer.Stream.Ending;
        if (ending is StreamEnding.Cut or StreamEnding.Refused || writer.Context.RequestAborted.IsCancellationRequested)
        {
            return default;
        }

        try
        {
            var written = 0;
            if (writer.Stream.Failure is { } failure)
            {
                writer.Transport.Write(StreamMessage.Message(new StreamError(StreamFailure.ClientMessage(failure, writer.Context))));
                if (ending == StreamEnding.Reconnect)
                {
                    writer.Transport.WriteRetry(writer.Stream.Registry.Options.Retry ?? StreamFailure.DefaultRetryMilliseconds);
                }

                written++;
            }

            if (ending == StreamEnding.End)
            {
                writer.Transport.WriteEnd();
                written++;
            }

            if (written > 0)
            {
                var flushing = writer.Flush.FlushAsync(written);
                if (!flushing.IsCompleted)
                {
                    return AwaitFlushAsync(flushing);
                }

                _ = flushing.Result;
            }
        }
        catch (Exception e) when (StreamConnectionWriter.IsConnectionGone(e, writer.Context))
        {
            Lost();
        }

        return default;
    }

    private async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flushing)
    {
        try
        {
            await flushing;
        }
        catch (Exception e) when (StreamConnectionWriter.IsConnectionGone(e, writer.Context))
        {
            Lost();
        }
    }

    private void Lost() => writer.Logger.LogDebug("Stream {Route}: the connection closed before the end of the stream was written", writer.Stream.Route);
}
