namespace CandyPack.Benchmarks.Scenarios;

/// <summary>How the clients of a <see cref="TickSubscription"/> subscribe.</summary>
internal enum TickTransport
{
    /// <summary>A GET of an event stream, one raw socket per client.</summary>
    Sse,

    /// <summary>The same URL upgraded to a WebSocket, one JSON text message per event.</summary>
    WebSocket,

    /// <summary>A SignalR hub over a WebSocket (JSON protocol, no negotiation).</summary>
    SignalR,
}
