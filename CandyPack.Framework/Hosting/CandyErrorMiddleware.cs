using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Answers every failure of the pipeline with <see cref="ErrorResponses"/>: the status and message it calls for, or,
/// once the response has started, a log line and the connection aborted.
/// </summary>
internal sealed class CandyErrorMiddleware(RequestDelegate next, ILogger<CandyErrorMiddleware> logger, bool development)
{
    private readonly ErrorResponses _errors = new(logger, development);

    /// <remarks>
    /// A site route's request still running when the pipeline returns (a stream, above all) is not awaited here: its
    /// endpoint answers its own failures the same way, and an idle stream would otherwise keep this method suspended
    /// for its whole life.
    /// </remarks>
    public Task InvokeAsync(HttpContext context)
    {
        Task running;
        try
        {
            running = next(context);
        }
        catch (Exception e)
        {
            return _errors.RespondAsync(context, e);
        }

        if (running.IsCompletedSuccessfully
            || (!running.IsCompleted && context.GetEndpoint()?.RequestDelegate?.Target is RouteEndpointHandler))
        {
            return running;
        }

        return ObserveAsync(context, running);
    }

    private async Task ObserveAsync(HttpContext context, Task running)
    {
        try
        {
            await running;
        }
        catch (Exception e)
        {
            await _errors.RespondAsync(context, e);
        }
    }
}
