namespace CandyPack.Client;

/// <summary>How <see cref="CandyClient"/> connects to a stream route; every stream route speaks both.</summary>
public enum CandyTransport
{
    /// <summary>
    /// WebSocket first; where a WebSocket does not open (a proxy that refuses upgrades, a site with WebSocket turned
    /// off) Server-Sent Events at once, and if SSE opens there, SSE for every later connection of this client.
    /// </summary>
    Auto,

    /// <summary>WebSocket only; the only transport that can send (<see cref="CandyConnection{T}.SendAsync(string, CancellationToken)"/>).</summary>
    WebSocket,

    /// <summary>Server-Sent Events only: a GET read with <see cref="System.Net.ServerSentEvents.SseParser"/>.</summary>
    Sse,
}
