using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Turns failures into responses that say what went wrong: a malformed or oversized request gets its 4xx with the
/// reason, a value the framework refused (<see cref="InputError"/>) 400 with the framework's message, anything else
/// 500 and an error log line naming the request. Nothing is swallowed: a failure after the response started is logged
/// and the connection aborted.
/// </summary>
internal sealed class CandyErrorMiddleware(RequestDelegate next, ILogger<CandyErrorMiddleware> logger, bool development)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e)
        {
            logger.LogInformation("{Method} {Path} rejected with {Status}: {Reason}", context.Request.Method, context.Request.Path, e.StatusCode, e.Message);
            if (e.StatusCode == StatusCodes.Status503ServiceUnavailable && !context.Response.HasStarted)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            await WriteAsync(context, e.StatusCode, e.Message);
        }
        catch (ArgumentException e) when (InputError.MessageOf(e) is { } message)
        {
            logger.LogInformation(
                "{Method} {Path} ({Route}) rejected with 400: its {Input} was refused: {Reason}",
                context.Request.Method,
                context.Request.Path,
                RouteOf(context),
                e.ParamName,
                message);
            await WriteAsync(context, StatusCodes.Status400BadRequest, $"Bad Request: {message}");
        }
        catch (Data.DatabaseUnavailableException e)
        {
            // The database layer logged the outage once; the client is told to come back rather than shown a failure.
            RequestLogMark.FailureReported(context);
            logger.LogDebug("{Method} {Path}: 503, {Reason}", context.Request.Method, context.Request.Path, e.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, development ? $"Service Unavailable: {e.Message}" : "Service Unavailable: the database cannot be reached; try again shortly.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogDebug("{Method} {Path}: the client went away", context.Request.Method, context.Request.Path);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed in {Endpoint}", context.Request.Method, context.Request.Path, RouteOf(context));
            await WriteAsync(context, StatusCodes.Status500InternalServerError, development ? $"Internal Server Error: {e.GetType().Name}: {e.Message}" : "Internal Server Error");
        }
    }

    private static string RouteOf(HttpContext context) => context.GetEndpoint()?.DisplayName ?? "(no route)";

    private static Task WriteAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        var retryAfter = context.Response.Headers.RetryAfter;
        context.Response.Clear();
        context.Response.Headers.RetryAfter = retryAfter;
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }
}
