namespace CandyPack.Benchmarks.Load;

/// <summary>
/// Receives one whole WebSocket message on one <see cref="WebSocketClient"/>; <see cref="WebSocketClient.ReceivedAt"/>
/// tells when it arrived. Returns whether it was an application message, the first of which opens the client (a
/// protocol's own replies, such as SignalR's handshake, are not).
/// </summary>
internal delegate bool WebSocketMessageHandler(WebSocketClient client, ReadOnlySpan<byte> message);
