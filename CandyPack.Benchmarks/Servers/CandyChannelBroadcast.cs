namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The CandyPack side of the broadcast scenarios as users write it: a subscriber is <c>candy.Stream(candy.Channel(Name))</c>
/// and a publish is one <see cref="CandyChannel.Publish"/>, which serialises and frames the message once for all of
/// them. A reconnecting client's <c>Last-Event-ID</c> is honoured by the channel itself (the reconnect storm). The
/// presence site subscribes the same way to its rooms, with <see cref="SubscribeOptions"/>.
/// </summary>
internal sealed class CandyChannelBroadcast(string name, string path) : IBroadcaster
{
    /// <summary>
    /// The channel as the newest subscription found it. Publishes come from the control loop, outside any request, so
    /// they use the handle a request took; taking the newest keeps it current should the site ever drop an unused
    /// channel and make a new one.
    /// </summary>
    private CandyChannel? _channel;

    /// <summary>One per server process: the route file is created by the site's DI scan and has no way to be handed one.</summary>
    public static CandyChannelBroadcast Shared { get; } = new("bench", "/subscribe");

    public string Name { get; } = name;

    public string Path { get; } = path;

    public int Subscribers => Volatile.Read(ref _channel)?.LocalSubscribers ?? 0;

    public CandyStream Subscribe(Candy candy, SubscribeOptions? options = null)
    {
        var channel = candy.Channel(Name);
        Volatile.Write(ref _channel, channel);
        var stream = candy.Stream(channel, options);
        // This subscriber alone: the client counts its subscription as open at its first event, as on the other sides.
        stream.Send(Tick.Opened);
        return stream;
    }

    public async Task<int> PublishAsync(Tick tick)
    {
        var channel = Volatile.Read(ref _channel)
            ?? throw new InvalidOperationException($"Nothing has subscribed to channel '{Name}' yet, so there is no channel to publish to.");
        var subscribers = channel.LocalSubscribers;
        await channel.Publish(tick);
        return subscribers;
    }
}
