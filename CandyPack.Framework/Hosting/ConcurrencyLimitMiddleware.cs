using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>Answers 503 with <c>Retry-After</c> once <c>server.maxConcurrentRequests</c> requests (streams included) are in flight.</summary>
internal sealed class ConcurrencyLimitMiddleware(RequestDelegate next, ILogger<ConcurrencyLimitMiddleware> logger, int limit)
{
    private int _inFlight;

    public async Task InvokeAsync(HttpContext context)
    {
        if (Interlocked.Increment(ref _inFlight) > limit)
        {
            Interlocked.Decrement(ref _inFlight);
            logger.LogWarning("{Method} {Path} refused with 503: {Limit} requests already in flight (server.maxConcurrentRequests)", context.Request.Method, context.Request.Path, limit);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"Service Unavailable: {limit} requests are already in flight (server.maxConcurrentRequests); retry shortly.");
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
