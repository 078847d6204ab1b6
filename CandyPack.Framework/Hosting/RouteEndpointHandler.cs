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
    public async Task InvokeAsync(HttpContext context)
    {
        var limits = site.Options.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limits.MaxBodySize;
        }

        if (await Streaming.WebSocketOrigin.RefuseAsync(context, site.Domains, site.Options.WebSocket, site.Logger))
        {
            return;
        }

        var candy = new Candy(context, site, route);
        AsyncServiceScope? scope = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Task<object?>? abandoned = null;
        var hostServices = context.RequestServices;
        site.RequestStarted();
        try
        {
            if (site.Authenticates)
            {
                // The site's services answer the request, so its authentication handlers sign in, out and challenge.
                scope = site.Services.CreateAsyncScope();
                context.RequestServices = scope.Value.ServiceProvider;
                await Identity.SiteAuthentication.AuthenticateAsync(context);
            }

            var call = Call(candy, ref scope);
            object? returned;
            if (call.IsCompletedSuccessfully)
            {
                returned = call.Result;
            }
            else
            {
                var task = call.AsTask();
                var outcome = await RunWithTimeoutAsync(task, candy, limits.Timeout);
                if (outcome.TimedOut)
                {
                    // Revoked before the 408 is written: from here on the handler cannot reach this (or the next) request.
                    candy.RevokeRequest();
                    abandoned = task;
                    site.Logger.LogWarning("{Route} exceeded the request timeout of {Timeout}s; the client got 408 and the handler was cancelled", route, limits.Timeout);
                    await WriteTimeoutAsync(context, limits.Timeout);
                    return;
                }

                returned = outcome.Value;
            }

            returned = await AwaitReturnedTaskAsync(returned);
            if (candy.ActiveStream is { } stream)
            {
                if (returned is not null && returned is not CandyStream)
                {
                    stream.Fail(new InvalidOperationException($"{route}: the handler opened a stream and also returned a value. Use one of them."));
                }

                await stream.FinishResponseAsync();
                if (stream.Registry.IsShuttingDown)
                {
                    // The registry logged one line for all the streams it closed; this request adds none of its own.
                    RequestLogMark.Summarised(context);
                }
            }
            else
            {
                await candy.WriteResponseAsync(returned is CandyStream ? null : returned);
            }
        }
        catch (Exception e) when (candy.ActiveStream is { } stream)
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

            // Whatever the client did, the request lasts until its stream has finished: its close handlers run while
            // the request's services and context are still its own.
            await stream.FinishResponseAsync();
        }
        finally
        {
            candy.RevokeRequest();
            context.RequestServices = hostServices;
            site.RequestEnded();
            if (CandyMetrics.Requests.Enabled || CandyMetrics.RequestDuration.Enabled)
            {
                var tag = new KeyValuePair<string, object?>("http.route", route.Pattern);
                CandyMetrics.Requests.Add(1, tag);
                CandyMetrics.RequestDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
            }

            if (abandoned is null)
            {
                await ReleaseAsync(candy, scope);
            }
            else
            {
                // Never faults: every failure is logged inside, so nothing is lost by not awaiting it here.
                _ = ReleaseAfterHandlerAsync(abandoned, candy, scope);
            }
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

    /// <summary>
    /// An inline handler typed to return <see cref="object"/> may hand back a <see cref="ValueTask"/> or
    /// <see cref="ValueTask{TResult}"/>: that is work to await, not a value to send.
    /// </summary>
    private static async ValueTask<object?> AwaitReturnedTaskAsync(object? returned)
    {
        if (returned is ValueTask task)
        {
            await task;
            return null;
        }

        var type = returned?.GetType();
        if (type is null || !type.IsGenericType || type.GetGenericTypeDefinition() != typeof(ValueTask<>))
        {
            return returned;
        }

        // A rare shape (the compiler binds ValueTask<T> lambdas to the object overload), so reflection is affordable here.
        var pending = (Task)type.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
        await pending;
        return pending.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(pending);
    }

    private static async Task<(bool TimedOut, object? Value)> RunWithTimeoutAsync(Task<object?> task, Candy candy, double timeoutSeconds)
    {
        if (timeoutSeconds <= 0)
        {
            return (false, await task);
        }

        try
        {
            return (false, await task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds)));
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            if (candy.ActiveStream is not null)
            {
                // Streams are exempt from the request timeout: the handler may keep producing for as long as the stream lives.
                return (false, await task);
            }

            return (true, null);
        }
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

    private static Task WriteTimeoutAsync(HttpContext context, double timeoutSeconds)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status408RequestTimeout;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"Request Timeout: no response within {timeoutSeconds}s (request.timeout in config.json).");
    }
}
