using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The plain ASP.NET Core side of the broadcast scenario: each subscriber reads its own bounded
/// <see cref="Channel{T}"/> through <c>TypedResults.ServerSentEvents</c>; a publish writes the message into every channel.
/// </summary>
internal sealed class BaselineBroadcast : IBroadcaster
{
    /// <summary>The same per-connection bound CandyPack uses (<c>stream.queue</c> in the site's config.json).</summary>
    private const int Capacity = 1024;

    private readonly ConcurrentDictionary<ChannelWriter<Tick>, byte> _channels = new();

    public string Path => "/subscribe";

    public int Subscribers => _channels.Count;

    public async IAsyncEnumerable<Tick> Subscribe([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<Tick>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        _channels[channel.Writer] = 0;
        try
        {
            yield return Tick.Opened;
            var reader = channel.Reader;
            while (await WaitAsync(reader, cancellationToken))
            {
                while (reader.TryRead(out var tick))
                {
                    yield return tick;
                }
            }
        }
        finally
        {
            _channels.TryRemove(channel.Writer, out _);
        }
    }

    public Task<int> PublishAsync(Tick tick)
    {
        var accepted = 0;
        foreach (var pair in _channels)
        {
            if (pair.Key.TryWrite(tick))
            {
                accepted++;
            }
        }

        return Task.FromResult(accepted);
    }

    /// <summary>A disconnect ends the sequence instead of throwing, so it reads as a normal end of the response.</summary>
    private static async ValueTask<bool> WaitAsync(ChannelReader<Tick> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
