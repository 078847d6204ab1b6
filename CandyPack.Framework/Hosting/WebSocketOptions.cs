namespace CandyPack;

/// <summary>
/// The WebSocket transport of streams (<c>"websocket"</c> in config.json): a stream route asked to upgrade runs the same
/// handler and sends over a WebSocket instead of Server-Sent Events.
/// </summary>
public sealed class WebSocketOptions
{
    /// <summary>Whether stream routes accept WebSocket upgrades. Default true; when false an upgrade request is answered as a plain request (an event stream).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Further origins (<c>https://app.example.com</c>) whose pages may open a WebSocket here, besides the site's own
    /// domains and the request's own origin. A browser's upgrade from any other origin gets 403.
    /// </summary>
    public IList<string> Origins { get; } = [];

    /// <summary>The largest message a client may send, in bytes; a larger one closes the socket with 1009 (message too big). Default 65,536.</summary>
    public int MaxMessageSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Bytes of client messages (as received) a stream holds unread. Messages sent before the stream's handler listens
    /// wait up to this for the first listener; past it the socket is closed with 1008 (policy violation), so a stream
    /// that never reads (a channel subscription) holds at most this much of what a client sends. A reader of
    /// <c>ReadMessagesAsync</c> that falls this far behind stops the socket being read until it catches up. One message
    /// always fits, whatever its size. Default 65,536; at least 1.
    /// </summary>
    public int MaxUnreadBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Seconds a client may take to answer a ping (sent every <c>stream.heartbeat</c> seconds) before it is dropped.
    /// Default 30; 0 sends unanswered keep-alive frames instead and never drops.
    /// </summary>
    public double PingTimeout { get; set; } = 30;

    /// <summary>
    /// Offers permessage-deflate to clients that ask for it. Default false. Compressed frames that mix secrets with
    /// attacker-chosen text can leak them (CRIME/BREACH), so enable it for public data only.
    /// </summary>
    public bool Compression { get; set; }
}
