using CandyPack.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// The request delegate of one route: creates the <see cref="Candy"/> facade, runs the
/// controller or inline handler under the request timeout, then writes the regular response or keeps the request
/// open until its stream closes.
/// </summary>
internal sealed class RouteEndpointHandler(SiteRuntime site, RouteInfo route, ControllerDescriptor? controller, RouteHandler? inline)
{
    /// <summary>
    /// Runs the handler. A request that became a stream is then kept by <see cref="FinishStreamAsync"/> alone, a small
    /// method that holds only what the stream's end needs: an idle stream keeps its request's task for its whole life.
    /// </summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = site.Options.Request.MaxBodySize;
        }

        var candy = new Candy(context, site, route);
        candy.Endpoint.Started = System.Diagnostics.Stopwatch.GetTimestamp();
        var handling = HandleAsync(context, candy);
        if (!handling.IsCompletedSuccessfully)
        {
            return FinishAsync(handling, candy);
        }

        return handling.Result is { } stream ? FinishStreamAsync(stream, candy) : Task.CompletedTask;
    }

    /// <summary>
    /// Everything but a stream's life: the handler under the request timeout, and a regular response written. Returns
    /// the stream when the request became one (its end is then <see cref="FinishStreamAsync"/>'s), else null with the
    /// request released.
    /// </summary>
    private async ValueTask<CandyStream?> HandleAsync(HttpContext context, Candy candy)
    {
        if (await Streaming.WebSocketOrigin.RefuseAsync(context, site.Domains, site.Options.WebSocket, site.Logger))
        {
            return null;
        }

        site.RequestStarted();
        var handed = false;
        try
        {
            if (site.Authenticates)
            {
                // The site's services answer the request, so its authentication handlers sign in, out and challenge.
                // The host's are read only here: they are a scope of their own, made when first asked for.
                candy.Endpoint.Scope = site.Services.CreateAsyncScope();
                candy.Endpoint.HostServices = context.RequestServices;
                context.RequestServices = candy.Endpoint.Scope.Value.ServiceProvider;
                await Identity.SiteAuthentication.AuthenticateAsync(context);
            }

            var call = Call(candy, ref candy.Endpoint.Scope);
            object? returned;
            if (call.IsCompletedSuccessfully)
            {
                returned = call.Result;
            }
            else
            {
                var task = call.AsTask();
                var outcome = await HandlerOutcomes.RunWithTimeoutAsync(task, candy, site.Options.Request.Timeout);
                if (outcome.TimedOut)
                {
                    // Revoked before the 408 is written: from here on the handler cannot reach this (or the next) request.
                    candy.RevokeRequest();
                    candy.Endpoint.Abandoned = task;
                    site.Logger.LogWarning("{Route} exceeded the request timeout of {Timeout}s; the client got 408 and the handler was cancelled", route, site.Options.Request.Timeout);
                    await HandlerOutcomes.WriteTimeoutAsync(context, site.Options.Request.Timeout);
                    return null;
                }

                returned = outcome.Value;
            }

            returned = await HandlerOutcomes.AwaitReturnedTaskAsync(returned);
            if (candy.ActiveStream is { } stream)
            {
                if (returned is not null && returned is not CandyStream)
                {
                    stream.Fail(new InvalidOperationException($"{route}: the handler opened a stream and also returned a value. Use one of them."));
                }

                handed = true;
                return stream;
            }

            await candy.WriteResponseAsync(returned is CandyStream ? null : returned);
            return null;
        }
        catch (Exception e) when (candy.ActiveStream is { } stream)
        {
            Failed(context, stream, e);
            handed = true;
            return stream;
        }
        finally
        {
            if (!handed)
            {
                await EndAsync(context, candy);
            }
        }
    }

    /// <summary>
    /// The handler did not finish at once (or failed): then the stream's end, if it opened one. Its failure is answered
    /// here, as the error middleware would, since that middleware does not wait for a site route that is still running.
    /// </summary>
    private async Task FinishAsync(ValueTask<CandyStream?> handling, Candy candy)
    {
        CandyStream? stream;
        try
        {
            stream = await handling;
        }
        catch (Exception e)
        {
            await site.Errors.RespondAsync(candy.RequestContext, e);
            return;
        }

        if (stream is not null)
        {
            await FinishStreamAsync(stream, candy);
        }
    }

    /// <summary>The life of a request that became a stream: until the stream has finished, then the request's end.</summary>
    private async Task FinishStreamAsync(CandyStream stream, Candy candy)
    {
        // No await inside a catch or finally: what this method keeps while it waits is all an idle stream's request
        // costs it, and those would add hidden fields.
        Exception? failure = null;
        try
        {
            await stream.FinishResponseAsync();
        }
        catch (Exception e)
        {
            failure = e;
        }

        if (failure is not null)
        {
            Failed(candy.RequestContext, stream, failure);
            failure = null;
            try
            {
                // Whatever the client did, the request lasts until its stream has finished: its close handlers run
                // while the request's services and context are still its own.
                await stream.FinishResponseAsync();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        else if (stream.Registry.IsShuttingDown)
        {
            // The registry logged one line for all the streams it closed; this request adds none of its own.
            RequestLogMark.Summarised(candy.RequestContext);
        }

        try
        {
            await EndAsync(candy.RequestContext, candy);
        }
        catch (Exception e)
        {
            failure ??= e;
        }

        if (failure is not null)
        {
            await site.Errors.RespondAsync(candy.RequestContext, failure);
        }
    }

    /// <summary>A failure of a request whose response is a stream: reported inside the stream, or logged once its client left.</summary>
    private void Failed(HttpContext context, CandyStream stream, Exception e)
    {
        if (!context.RequestAborted.IsCancellationRequested)
        {
            // The response has started as an event stream: report the failure inside it rather than dropping the connection.
            stream.Fail(e);
        }
        else if (e is OperationCanceledException)
        {
            site.Logger.LogDebug("{Route}: the handler stopped after its client left", route);
        }
        else
        {
            site.Logger.LogError(e, "{Route} failed after its client left", route);
        }
    }

    /// <summary>The request's end: the handler loses it, the host's services are back, and what it used is released.</summary>
    private async Task EndAsync(HttpContext context, Candy candy)
    {
        var request = candy.Endpoint;
        candy.RevokeRequest();
        if (request.HostServices is { } hostServices)
        {
            context.RequestServices = hostServices;
        }

        site.RequestEnded();
        if (CandyMetrics.Requests.Enabled || CandyMetrics.RequestDuration.Enabled)
        {
            var tag = new KeyValuePair<string, object?>("http.route", route.Pattern);
            CandyMetrics.Requests.Add(1, tag);
            CandyMetrics.RequestDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(request.Started).TotalMilliseconds, tag);
        }

        if (request.Abandoned is null)
        {
            await ReleaseAsync(candy, request.Scope);
        }
        else
        {
            // Never faults: every failure is logged inside, so nothing is lost by not awaiting it here.
            _ = ReleaseAfterHandlerAsync(request.Abandoned, candy, request.Scope);
        }
    }

    private ValueTask<object?> Call(Candy candy, ref AsyncServiceScope? scope)
    {
        if (controller is null)
        {
            return inline!(candy);
        }

        if (scope is null && controller.NeedsScope)
        {
            scope = site.Services.CreateAsyncScope();
        }

        return controller.InvokeAsync(scope?.ServiceProvider, candy);
    }

    /// <summary>Waits out a handler that outlived its request's timeout, then releases what it used; its failure is logged, not lost.</summary>
    private async Task ReleaseAfterHandlerAsync(Task<object?> handler, Candy candy, AsyncServiceScope? scope)
    {
        try
        {
            await handler;
        }
        catch (Exception e)
        {
            site.Logger.LogDebug(e, "{Route} failed after its request had timed out", route);
        }

        try
        {
            await ReleaseAsync(candy, scope);
        }
        catch (Exception e)
        {
            site.Logger.LogError(e, "{Route}: releasing the services of a timed-out request failed", route);
        }
    }

    private static async Task ReleaseAsync(Candy candy, AsyncServiceScope? scope)
    {
        candy.Release();
        if (scope is { } s)
        {
            await s.DisposeAsync();
        }
    }
}
