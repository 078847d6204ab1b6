using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// <c>server.maxConcurrentRequests</c> on ASP.NET Core's rate limiter: one <see cref="ConcurrencyLimiter"/> for the
/// whole server with no queue, so a request past the limit is refused at once with 503 and <c>Retry-After</c>. A
/// stream holds its permit until it closes. Endpoints marked with <c>DisableRateLimiting</c> (health) are never refused.
/// </summary>
internal static class ConcurrencyLimit
{
    private const string RetryAfterSeconds = "1";

    public static void AddTo(IServiceCollection services, int limit) =>
        services.AddRateLimiter(options =>
        {
            // One partition for every request, made once rather than per request.
            var server = RateLimitPartition.GetConcurrencyLimiter("server", _ => new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 });
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => server);
            options.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            options.OnRejected = (context, cancellationToken) => RefuseAsync(context.HttpContext, limit, cancellationToken);
        });

    private static async ValueTask RefuseAsync(HttpContext context, int limit, CancellationToken cancellationToken)
    {
        RequestLogMark.FailureReported(context);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConcurrencyLimit)).LogWarning(
            "{Method} {Path} refused with 503: {Limit} requests already in flight (server.maxConcurrentRequests)",
            context.Request.Method,
            context.Request.Path,
            limit);
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(
            string.Create(CultureInfo.InvariantCulture, $"Service Unavailable: {limit} requests are already in flight (server.maxConcurrentRequests); retry shortly."),
            cancellationToken);
    }
}
