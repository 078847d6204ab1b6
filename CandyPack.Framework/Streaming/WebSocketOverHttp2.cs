using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CandyPack.Streaming;

/// <summary>
/// A WebSocket over HTTP/2 opens with an extended CONNECT (RFC 8441 §4) where HTTP/1.1 sends a GET with
/// <c>Upgrade</c>. Routed as the GET it stands for, the same stream route upgrades on either protocol, and a route's
/// <c>Allow</c> list stays the methods the site mapped.
/// </summary>
internal static class WebSocketOverHttp2
{
    /// <summary>Runs after the WebSocket middleware has seen the CONNECT, before routing.</summary>
    public static Task RouteAsGet(HttpContext context, RequestDelegate next)
    {
        if (IsWebSocket(context))
        {
            context.Request.Method = HttpMethods.Get;
        }

        return next(context);
    }

    /// <summary>Runs after routing: the handshake checks that the request it accepts is the CONNECT it was.</summary>
    public static Task RestoreConnect(HttpContext context, RequestDelegate next)
    {
        if (IsWebSocket(context))
        {
            context.Request.Method = HttpMethods.Connect;
        }

        return next(context);
    }

    private static bool IsWebSocket(HttpContext context) =>
        context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect &&
        string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
}
