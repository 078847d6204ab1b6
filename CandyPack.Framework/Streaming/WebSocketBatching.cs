using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CandyPack.Streaming;

/// <summary>
/// Stands in for the server's upgrade (HTTP/1.1) or extended CONNECT (HTTP/2) of a request that may become a WebSocket,
/// so that the socket ASP.NET Core makes runs over a <see cref="WebSocketBatchStream"/> the stream's transport can batch.
/// It has to be in place before the WebSocket middleware, which takes these features when it sees the request.
/// </summary>
internal sealed class WebSocketBatching : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    private readonly IHttpUpgradeFeature? _upgrade;
    private readonly IHttpExtendedConnectFeature? _connect;

    private WebSocketBatching(IHttpUpgradeFeature? upgrade, IHttpExtendedConnectFeature? connect)
    {
        _upgrade = upgrade;
        _connect = connect;
    }

    /// <summary>The connection the socket runs over, once the request was upgraded.</summary>
    public WebSocketBatchStream? Connection { get; private set; }

    public bool IsUpgradableRequest => _upgrade?.IsUpgradableRequest == true;

    public bool IsExtendedConnect => _connect?.IsExtendedConnect == true;

    public string? Protocol => _connect?.Protocol;

    /// <summary>Whether the request asks to be upgraded (HTTP/1.1) or is an extended CONNECT (HTTP/2).</summary>
    public static bool CanUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    /// <summary>Runs before the WebSocket middleware, for a request that <see cref="CanUpgrade"/>: it gets the batching features.</summary>
    public static Task Use(HttpContext context, RequestDelegate next)
    {
        var batching = new WebSocketBatching(context.Features.Get<IHttpUpgradeFeature>(), context.Features.Get<IHttpExtendedConnectFeature>());
        context.Features.Set<IHttpUpgradeFeature>(batching);
        context.Features.Set<IHttpExtendedConnectFeature>(batching);
        return next(context);
    }

    /// <summary>
    /// Whether the request is a WebSocket handshake. Read from the feature, which only a request that can be upgraded
    /// has, rather than through <see cref="HttpContext.WebSockets"/>, which would make an object for every request.
    /// </summary>
    public static bool IsWebSocketRequest(HttpContext context) =>
        context.Features.Get<IHttpWebSocketFeature>()?.IsWebSocketRequest == true;

    /// <summary>The batching connection under the WebSocket this request was upgraded to, if it has one.</summary>
    public static WebSocketBatchStream? ConnectionOf(HttpContext context) =>
        (context.Features.Get<IHttpUpgradeFeature>() as WebSocketBatching)?.Connection;

    public async Task<Stream> UpgradeAsync() =>
        Connection = new WebSocketBatchStream(await (_upgrade ?? throw NotUpgradable()).UpgradeAsync());

    public async ValueTask<Stream> AcceptAsync() =>
        Connection = new WebSocketBatchStream(await (_connect ?? throw NotUpgradable()).AcceptAsync());

    private static InvalidOperationException NotUpgradable() => new("This request cannot be upgraded.");
}
