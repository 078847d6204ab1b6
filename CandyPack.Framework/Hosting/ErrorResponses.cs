using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Turns failures into responses that say what went wrong: a malformed or oversized request gets its 4xx with the
/// reason, a value the framework refused (<see cref="InputError"/>) 400 with the framework's message, anything else
/// 500 and an error log line naming the request. Nothing is swallowed: a failure after the response started is logged
/// and the connection aborted. <see cref="CandyErrorMiddleware"/> answers with it, and so does a site route's endpoint
/// for its own failures.
/// </summary>
internal sealed class ErrorResponses(ILogger logger, bool development)
{
    /// <summary>Answers <paramref name="error"/>; once the response has started, logs it and aborts the connection.</summary>
    public Task RespondAsync(HttpContext context, Exception error)
    {
        switch (error)
        {
            case BadHttpRequestException e:
                logger.LogInformation("{Method} {Path} rejected with {Status}: {Reason}", context.Request.Method, context.Request.Path, e.StatusCode, e.Message);
                if (e.StatusCode == StatusCodes.Status503ServiceUnavailable && !context.Response.HasStarted)
                {
                    context.Response.Headers.RetryAfter = "5";
                }

                return WriteAsync(context, e.StatusCode, e.Message);
            case ArgumentException e when InputError.MessageOf(e) is { } message:
                logger.LogInformation(
                    "{Method} {Path} ({Route}) rejected with 400: its {Input} was refused: {Reason}",
                    context.Request.Method,
                    context.Request.Path,
                    RouteOf(context),
                    e.ParamName,
                    message);
                return WriteAsync(context, StatusCodes.Status400BadRequest, $"Bad Request: {message}");
            case Data.DatabaseUnavailableException e:
                // The database layer logged the outage once; the client is told to come back rather than shown a failure.
                RequestLogMark.FailureReported(context);
                logger.LogDebug("{Method} {Path}: 503, {Reason}", context.Request.Method, context.Request.Path, e.Message);
                if (!context.Response.HasStarted)
                {
                    context.Response.Headers.RetryAfter = "5";
                }

                return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, development ? $"Service Unavailable: {e.Message}" : "Service Unavailable: the database cannot be reached; try again shortly.");
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                logger.LogDebug("{Method} {Path}: the client went away", context.Request.Method, context.Request.Path);
                return Task.CompletedTask;
            default:
                logger.LogError(error, "{Method} {Path} failed in {Endpoint}", context.Request.Method, context.Request.Path, RouteOf(context));
                return WriteAsync(context, StatusCodes.Status500InternalServerError, development ? $"Internal Server Error: {error.GetType().Name}: {error.Message}" : "Internal Server Error");
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
