using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>
/// Answers every failure of the pipeline with <see cref="ErrorResponses"/>: the status and message it calls for, or,
/// once the response has started, a log line and the connection aborted.
/// </summary>
internal sealed class CandyErrorMiddleware(RequestDelegate next, ErrorResponses errors)
{

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
            return errors.RespondAsync(context, e);
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
            await errors.RespondAsync(context, e);
        }
    }
}
