using System.Text.Json;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Api;

/// <summary>
/// The server API under <c>/_candy/api/</c>, through which other services publish: <c>POST publish</c>,
/// <c>POST broadcast</c>, <c>GET presence</c>, <c>GET history</c> and <c>POST disconnect</c>. It belongs to the site the
/// Host header picks, as routes do, and answers 404 unless that site turned it on (<c>api.enabled</c>). Nothing exempts
/// it: <c>server.maxConcurrentRequests</c>, the site's <c>request.timeout</c> and <c>api.maxBodySize</c> apply. Every
/// answer is JSON; a refusal is <c>{"error": ..., "field": ...}</c> with its 4xx.
/// </summary>
internal static class ServerApiEndpoint
{
    public const string Path = "/_candy/api";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var registry = endpoints.ServiceProvider.GetRequiredService<SiteRegistry>();
        endpoints.MapPost(Path + "/publish", context => HandleAsync(context, registry, ApiCommands.PublishAsync));
        endpoints.MapPost(Path + "/broadcast", context => HandleAsync(context, registry, ApiCommands.BroadcastAsync));
        endpoints.MapGet(Path + "/presence", context => HandleAsync(context, registry, ApiCommands.PresenceAsync));
        endpoints.MapGet(Path + "/history", context => HandleAsync(context, registry, ApiHistory.ReadAsync));
        endpoints.MapPost(Path + "/disconnect", context => HandleAsync(context, registry, ApiCommands.DisconnectAsync));
    }

    private static async Task HandleAsync(HttpContext context, SiteRegistry registry, Func<ApiCall, Task<ApiResult>> command)
    {
        var site = registry.Resolve(context.Request.Host).Site;
        if (site is null || !site.Options.Api.Enabled)
        {
            await NotFound.WriteAsync(context);
            return;
        }

        var options = site.Options.Api;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = options.MaxBodySize;
        }

        var timeoutSeconds = site.Options.Request.Timeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (timeoutSeconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        }

        ApiResult result;
        Task<ApiResult>? running = null;
        site.RequestStarted();
        try
        {
            if (await ApiAccess.CheckAsync(context, site) is { } refused)
            {
                context.Response.Headers.WWWAuthenticate = ApiAccess.Scheme;
                throw refused;
            }

            running = command(new ApiCall(context, site, timeout.Token));
            result = await running.WaitAsync(timeout.Token);
        }
        catch (ApiError e)
        {
            result = Refused(context, site, e.Status, e.Field, e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            result = Refused(context, site, e.StatusCode, "body", $"The body is larger than {options.MaxBodySize} bytes (api.maxBodySize in config.json).");
        }
        catch (BadHttpRequestException e)
        {
            // The same refusals as candy.Channel(x).Publish in a controller: a busy channel or a full site is 503, come back later.
            if (e.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            result = Refused(context, site, e.StatusCode, null, e.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            result = Refused(
                context, site, StatusCodes.Status408RequestTimeout, null, $"Request Timeout: no answer within {timeoutSeconds}s (request.timeout in config.json).");
        }
        finally
        {
            site.RequestEnded();

            // Timed out or left by its client: a publish takes no token, so the command may still finish, and its
            // failure is logged rather than lost.
            if (running is { IsCompleted: false })
            {
                new BackgroundTasks(site.Logger).Run(running, $"{context.Request.Method} {context.Request.Path} after its request ended");
            }
        }

        context.Response.StatusCode = result.Status;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(result.Body, Json, context.RequestAborted);
    }

    private static ApiResult Refused(HttpContext context, SiteRuntime site, int status, string? field, string message)
    {
        site.Logger.LogInformation(
            "{Method} {Path} refused with {Status}: {Reason}", context.Request.Method, context.Request.Path, status, message);
        return new ApiResult(new { error = message, field }, status);
    }
}
