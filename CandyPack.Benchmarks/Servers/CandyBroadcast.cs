using System.Collections.Concurrent;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The CandyPack side of the broadcast scenario, written with the public handle API only: every subscriber's
/// <c>candy.Stream()</c> handle goes into a shared set, and a publish calls <see cref="CandyStream.Send(object?)"/> on
/// each, so each connection frames the message itself.
/// </summary>
/// <remarks>
/// This file is the one to change when the channel API lands: <see cref="Subscribe"/> keeps
/// <c>candy.Channel(Name)</c> from the first request and returns <c>candy.Stream(channel)</c> (still counting the
/// handle and sending <see cref="Tick.Opened"/>), and <see cref="Publish"/> becomes one <c>channel.Publish(tick)</c>,
/// which frames the message once for every subscriber. The route file and the control loop call only these members.
/// </remarks>
internal sealed class CandyBroadcast : IBroadcaster
{
    /// <summary>The channel name the channel API version will use.</summary>
    public const string Name = "bench";

    private readonly ConcurrentDictionary<CandyStream, byte> _streams = new();

    /// <summary>One per server process: the route file is created by the site's DI scan and has no way to be handed one.</summary>
    public static CandyBroadcast Shared { get; } = new();

    public int Subscribers => _streams.Count;

    public CandyStream Subscribe(Candy candy)
    {
        var stream = candy.Stream();
        _streams[stream] = 0;
        stream.On("close", () => _streams.TryRemove(stream, out _));
        stream.Send(Tick.Opened);
        return stream;
    }

    public int Publish(Tick tick)
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

        return accepted;
    }
}
