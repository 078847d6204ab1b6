using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>The 404 answer for a request that no route and no static file matched.</summary>
internal static class NotFound
{
    public static Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"Not Found: {context.Request.Method} {context.Request.Path}");
    }
}
