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

        var candy = new Candy(context, site, route);
        AsyncServiceScope? scope = null;
        var abandoned = false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        site.RequestStarted();
        try
        {
            ValueTask<object?> call;
            if (controller is not null)
            {
                scope = controller.NeedsScope ? site.Services.CreateAsyncScope() : null;
                call = controller.InvokeAsync(scope?.ServiceProvider, candy);
            }
            else
            {
                call = inline!(candy);
            }

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
                    abandoned = true;
                    AbandonAfterTimeout(task, scope, candy);
                    await WriteTimeoutAsync(context, limits.Timeout);
                    return;
                }

                returned = outcome.Value;
            }

            if (candy.ActiveStream is { } stream)
            {
                if (returned is not null && returned is not CandyStream)
                {
                    stream.Fail(new InvalidOperationException($"{route}: the handler opened a stream and also returned a value. Use one of them."));
                }

                stream.HandlerReturned();
                await stream.Completion;
            }
            else
            {
                await candy.WriteResponseAsync(returned is CandyStream ? null : returned);
            }
        }
        catch (Exception e) when (candy.ActiveStream is { } stream && !context.RequestAborted.IsCancellationRequested)
        {
            // The response has started as an event stream: report the failure inside it rather than dropping the connection.
            stream.Fail(e);
            stream.HandlerReturned();
            await stream.Completion;
        }
        finally
        {
            candy.ActiveStream?.HandlerReturned();
            site.RequestEnded();
            if (CandyMetrics.Requests.Enabled || CandyMetrics.RequestDuration.Enabled)
            {
                var tag = new KeyValuePair<string, object?>("http.route", route.Pattern);
                CandyMetrics.Requests.Add(1, tag);
                CandyMetrics.RequestDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
            }

            if (!abandoned)
            {
                candy.Finish();
                if (scope is { } s)
                {
                    await s.DisposeAsync();
                }
            }
        }
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

    private void AbandonAfterTimeout(Task<object?> task, AsyncServiceScope? scope, Candy candy)
    {
        candy.CancelForTimeout();
        site.Logger.LogWarning("{Route} exceeded the request timeout of {Timeout}s; the client got 408 and the handler was cancelled", route, site.Options.Request.Timeout);
        _ = task.ContinueWith(
            async t =>
            {
                if (t.Exception is { } error)
                {
                    site.Logger.LogDebug(error.GetBaseException(), "{Route} failed after its request had timed out", route);
                }

                candy.Finish();
                if (scope is { } s)
                {
                    await s.DisposeAsync();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
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
