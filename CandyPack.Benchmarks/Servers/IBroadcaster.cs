namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The server half of the broadcast scenarios: subscribers register themselves at <see cref="Path"/>, the control
/// loop publishes. A server may have several, one per way of broadcasting, told apart by their path.
/// </summary>
internal interface IBroadcaster
{
    /// <summary>The path clients subscribe at; control commands name the broadcaster by it.</summary>
    string Path { get; }

    /// <summary>Subscriptions open right now.</summary>
    int Subscribers { get; }

    /// <summary>Sends one message to every subscriber; returns how many subscribers it went to.</summary>
    Task<int> PublishAsync(Tick tick);
}
