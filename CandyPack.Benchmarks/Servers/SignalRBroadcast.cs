using Microsoft.AspNetCore.SignalR;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// A publish on the SignalR server: <c>Clients.All.SendAsync</c> on the hub's context, the .NET users' default for a
/// broadcast, which serialises the message once per protocol and writes it to every connection.
/// </summary>
internal sealed class SignalRBroadcast : IBroadcaster
{
    private int _subscribers;

    /// <summary>Set once the app is built; the hub context comes from its services.</summary>
    public IHubContext<TickHub>? Hub { get; set; }

    public string Path => "/hub";

    public int Subscribers => Volatile.Read(ref _subscribers);

    public void Connected() => Interlocked.Increment(ref _subscribers);

    public void Disconnected() => Interlocked.Decrement(ref _subscribers);

    public async Task<int> PublishAsync(Tick tick)
    {
        var hub = Hub ?? throw new InvalidOperationException("The SignalR server has not been built.");
        var subscribers = Subscribers;
        await hub.Clients.All.SendAsync(TickHub.Method, tick);
        return subscribers;
    }
}
