using System.Collections.Concurrent;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The second way to broadcast in CandyPack, with the handle API only: every subscriber's <c>candy.Stream()</c>
/// handle goes into a shared set, and a publish calls <see cref="CandyStream.Send(object?)"/> on each, so each
/// connection frames the message itself. This is what a site without channels would write; the channel version
/// (<see cref="CandyChannelBroadcast"/>) is how users broadcast.
/// </summary>
internal sealed class CandyHandleBroadcast : IBroadcaster
{
    private readonly ConcurrentDictionary<CandyStream, byte> _streams = new();

    /// <summary>One per server process: the route file is created by the site's DI scan and has no way to be handed one.</summary>
    public static CandyHandleBroadcast Shared { get; } = new();

    public string Path => "/subscribe/handles";

    public int Subscribers => _streams.Count;

    public CandyStream Subscribe(Candy candy)
    {
        var stream = candy.Stream();
        _streams[stream] = 0;
        stream.On("close", () => _streams.TryRemove(stream, out _));
        stream.Send(Tick.Opened);
        return stream;
    }

    public Task<int> PublishAsync(Tick tick)
    {
        var accepted = 0;
        // Enumerating the dictionary itself takes no snapshot, so a publish allocates nothing per subscriber.
        foreach (var pair in _streams)
        {
            if (pair.Key.Send(tick))
            {
                accepted++;
            }
        }

        return Task.FromResult(accepted);
    }
}
