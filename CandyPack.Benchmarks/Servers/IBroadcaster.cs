namespace CandyPack.Benchmarks.Servers;

/// <summary>The server half of the broadcast scenario: subscribers register themselves, the control loop publishes.</summary>
internal interface IBroadcaster
{
    /// <summary>Subscriptions open right now.</summary>
    int Subscribers { get; }

    /// <summary>Sends one message to every subscriber; returns how many accepted it.</summary>
    int Publish(Tick tick);
}
