namespace CandyPack;

/// <summary>
/// A site's settings, bound from its <c>config.json</c> (with <c>${ENV}</c> expansion and an optional
/// <c>.env</c> file) and then from <c>CANDY_</c> environment variables (<c>CANDY_REQUEST__TIMEOUT=10</c>).
/// Controllers may take <c>IOptions&lt;CandyOptions&gt;</c>.
/// </summary>
public sealed class CandyOptions
{
    /// <summary>The domains this site answers for, such as <c>example.com</c>; subdomains map to route files. Default: <c>localhost</c>.</summary>
    public IList<string> Domains { get; } = [];

    /// <summary>Request limits (<c>"request"</c> in config.json).</summary>
    public RequestOptions Request { get; set; } = new();

    /// <summary>Streaming settings (<c>"stream"</c> in config.json).</summary>
    public StreamOptions Stream { get; set; } = new();

    /// <summary>The WebSocket transport of streams (<c>"websocket"</c> in config.json).</summary>
    public WebSocketOptions WebSocket { get; set; } = new();

    /// <summary>Channel history (<c>"channels"</c> in config.json).</summary>
    public ChannelOptions Channels { get; set; } = new();

    /// <summary>
    /// A Redis connection string (<c>"redis": "127.0.0.1:6379"</c>) that host instances share for channel fan-out and
    /// history. Default: none, so channels live in this process.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The server API under <c>/_candy/api/</c> (<c>"api"</c> in config.json); off by default.</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>Listening settings (<c>"server"</c> in config.json); read from the first site a host loads.</summary>
    public ServerOptions Server { get; set; } = new();
}
