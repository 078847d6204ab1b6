using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The plain ASP.NET Core server: minimal API endpoints at the same paths as the benchmark site, streams through
/// .NET 10's <c>TypedResults.ServerSentEvents</c>, JSON through <c>Results.Json</c>.
/// </summary>
internal static class BaselineServer
{
    public static (WebApplication App, IReadOnlyList<IBroadcaster> Broadcasters) Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        ServerSetup.Configure(builder);
        builder.WebHost.ConfigureKestrel(ServerSetup.Listen);
        var app = builder.Build();
        var broadcast = new BaselineBroadcast();
        var presence = new BaselinePresence();

        app.MapGet("/generator", (string? n, CancellationToken token) => TypedResults.ServerSentEvents(Workload.Items(Workload.Count(n), token)));
        app.MapGet(broadcast.Path, (CancellationToken token) => TypedResults.ServerSentEvents(broadcast.Subscribe(token)));
        app.MapGet("/idle", (CancellationToken token) => TypedResults.ServerSentEvents(Workload.Idle(token)));
        app.MapGet("/idle/raw", HoldOpenAsync);
        app.MapGet("/json", () => Results.Json(Workload.Greeting()));
        app.MapGet(presence.Path, (string? user, CancellationToken token) => TypedResults.ServerSentEvents(presence.Subscribe(user, token)));
        app.MapGet(PresenceRooms.ListPath, () => Results.Json(presence.List()));
        return (app, [broadcast, presence]);
    }

    /// <summary>
    /// The floor under both idle streams: a bare response that writes one event by hand and waits, with no SSE
    /// library in between, so what remains per stream is Kestrel's connection and request state.
    /// </summary>
    private static async Task HoldOpenAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync("data: open\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client left.
        }
    }
}
