using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>A loaded site: its configuration, its own service provider, its endpoints and its static files.</summary>
internal sealed class SiteRuntime : IAsyncDisposable
{
    public SiteRuntime(SiteDefinition definition, IConfiguration configuration, CandyOptions options, ServiceProvider services, ILogger logger)
    {
        Definition = definition;
        Configuration = configuration;
        Options = options;
        Services = services;
        Logger = logger;
        Domains = options.Domains.Count > 0
            ? options.Domains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).ToArray()
            : ["localhost"];
        JsonOptions = services.GetService<JsonSerializerOptions>() ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        if (options.WebSocket.MaxUnreadBytes < 1)
        {
            throw new CandyStartupException($"websocket.maxUnreadBytes must be at least 1 (it is {options.WebSocket.MaxUnreadBytes}).");
        }

        Streams = new Streaming.StreamRegistry(options.Stream, logger);
        Authenticates = Identity.SiteAuthentication.IsConfigured(services);
    }

    /// <summary>True when the site configured ASP.NET Core authentication, which then runs for each routed request.</summary>
    public bool Authenticates { get; }

    /// <summary>The site's channels and their backplane; set by <see cref="SiteLoader"/>.</summary>
    public Channels.ChannelHub Channels { get; set; } = null!;

    /// <summary>The per-user stream limit (<c>stream.maxPerUser</c>); set by <see cref="SiteLoader"/> once channels have connected.</summary>
    public Identity.UserStreamLimit? UserStreams { get; set; }

    /// <summary>The site's open streams by user, for the server API's disconnect; kept only while <c>api.enabled</c>.</summary>
    public Identity.UserStreamIndex? UserIndex { get; set; }

    /// <summary>The site's open streams, heartbeat timer and stream limits.</summary>
    public Streaming.StreamRegistry Streams { get; }

    public SiteDefinition Definition { get; }

    public string Name => Definition.Name;

    public string Folder => Definition.Folder;

    public IConfiguration Configuration { get; }

    public CandyOptions Options { get; }

    public ServiceProvider Services { get; }

    public ILogger Logger { get; }

    /// <summary>How the site's routes answer their own failures: the host's, which the error middleware uses too.</summary>
    public ErrorResponses Errors { get; set; } = null!;

    public IReadOnlyList<string> Domains { get; }

    public JsonSerializerOptions JsonOptions { get; }

    public IReadOnlyList<RouteInfo> Routes { get; set; } = [];

    public IReadOnlyList<Microsoft.AspNetCore.Http.Endpoint> Endpoints { get; set; } = [];

    /// <summary>Serves <c>public/</c> and ends with 404; runs when no route matched.</summary>
    public RequestDelegate StaticFiles { get; set; } = context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    /// <summary>Readiness checks for <c>/_candy/health</c>: each returns null when ready, else the reason (such as a database that does not answer).</summary>
    public IList<Func<CancellationToken, Task<string?>>> ReadinessChecks { get; } = [];

    /// <summary>Routed requests of this site in flight, streams included; a retired site is unloaded when it reaches zero.</summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    private int _activeRequests;

    internal void RequestStarted() => Interlocked.Increment(ref _activeRequests);

    internal void RequestEnded() => Interlocked.Decrement(ref _activeRequests);

    /// <summary>Resources released with the site, such as its static file provider.</summary>
    public IList<IDisposable> Disposables { get; } = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in Disposables)
        {
            disposable.Dispose();
        }

        Streams.Dispose();
        await Services.DisposeAsync();
        if (Definition.Assembly.IsCollectible)
        {
            // Static caches keyed by type would keep this build in memory after its load context is unloaded.
            Data.DapperCaches.Release(Definition);
            if (!SiteJson.ForgetRetiredTypes())
            {
                Logger.LogWarning("System.Text.Json offers no way to clear its accessor cache here, so the old build of {Site} may stay in memory", Name);
            }
        }
    }
}
