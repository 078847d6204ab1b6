using System.Threading.Channels;

namespace CandyPack.Streaming;

/// <summary>
/// A stream's bounded queue between its producers and its one writer (<c>stream.queue</c> messages). Pushed
/// messages fail fast when it is full (the slow-consumer policy decides what then); pulled ones wait for room.
/// </summary>
internal sealed class StreamQueue(int capacity)
{
    private readonly Channel<StreamMessage> _channel = Channel.CreateBounded<StreamMessage>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
        AllowSynchronousContinuations = false,
    });

    public ChannelReader<StreamMessage> Reader => _channel.Reader;

    public bool TryWrite(in StreamMessage message) => _channel.Writer.TryWrite(message);

    /// <summary>No more messages: the writer drains what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Queues at once when there is room, else once the writer has made some; false when the queue completed or the wait was cancelled.</summary>
    public ValueTask<bool> WriteAsync(StreamMessage message, CancellationToken cancellationToken) =>
        _channel.Writer.TryWrite(message) ? ValueTask.FromResult(true) : WaitAndWriteAsync(message, cancellationToken);

    private async ValueTask<bool> WaitAndWriteAsync(StreamMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(message, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
