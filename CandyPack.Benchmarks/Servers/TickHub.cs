using Microsoft.AspNetCore.SignalR;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The SignalR side of the broadcast: a hub with nothing to call, as a site that only pushes writes it. A connection
/// counts as a subscriber from <see cref="OnConnectedAsync"/>, where it gets the opening tick, as on the other sides.
/// </summary>
internal sealed class TickHub(SignalRBroadcast broadcast) : Hub
{
    public const string Method = "tick";

    public override async Task OnConnectedAsync()
    {
        broadcast.Connected();
        await Clients.Caller.SendAsync(Method, Tick.Opened);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        broadcast.Disconnected();
        return Task.CompletedTask;
    }
}
