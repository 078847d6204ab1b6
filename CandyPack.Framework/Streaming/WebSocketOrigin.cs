using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// Guards against cross-site WebSocket hijacking: a browser sends cookies with an upgrade from any page, so an upgrade
/// whose <c>Origin</c> is not this site's is refused with 403 before the handler runs. Allowed: the request's own
/// origin, the site's domains and their subdomains (any scheme and port), and <c>websocket.origins</c>. No
/// <c>Origin</c> header means a client that is not a browser (which cannot be made to send cookies by another site).
/// </summary>
internal static class WebSocketOrigin
{
    /// <summary>Writes 403 and returns true when <paramref name="context"/> is a WebSocket upgrade from an origin the site does not allow.</summary>
    public static async ValueTask<bool> RefuseAsync(HttpContext context, IReadOnlyList<string> domains, WebSocketOptions options, ILogger logger)
    {
        if (!WebSocketTransport.IsRequested(context, options) || context.Request.Headers.Origin is not [{ Length: > 0 } origin] || IsAllowed(context.Request, origin, domains, options.Origins))
        {
            return false;
        }

        logger.LogWarning(
            "WebSocket upgrade to {Path} from origin {Origin} refused with 403: not the site's own origin, one of its domains, or in websocket.origins",
            context.Request.Path,
            origin);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"Forbidden: WebSocket connections from {origin} are not allowed (websocket.origins in config.json).");
        return true;
    }

    internal static bool IsAllowed(HttpRequest request, string origin, IReadOnlyList<string> domains, IList<string> origins)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            // "null" (a sandboxed page or a file) and anything unparsable are no origin a site can own.
            return false;
        }

        var self = $"{request.Scheme}://{request.Host.Value}";
        if (string.Equals(origin, self, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var domain in domains)
        {
            if (Hosting.SiteRegistry.SubdomainOf(uri.Host, domain) is not null)
            {
                return true;
            }
        }

        foreach (var allowed in origins)
        {
            if (string.Equals(origin, allowed.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
