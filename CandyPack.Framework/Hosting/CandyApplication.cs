using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using CandyPack.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Composes the ASP.NET Core application that serves a set of sites: Kestrel, endpoint routing fed by
/// <see cref="CandyEndpointDataSource"/>, dispatch by Host header, each site's <c>public/</c> folder, and 404.
/// </summary>
internal static class CandyApplication
{
    public static WebApplication Build(CandyHostOptions options, IReadOnlyList<SiteDefinition> sites)
    {
        if (sites.Count == 0)
        {
            throw new ArgumentException("At least one site is needed.", nameof(sites));
        }

        var configuration = SiteConfiguration.Load(sites[0]);
        var server = new ServerOptions();
        configuration.GetSection("server").Bind(server);
        var metrics = new MetricsOptions();
        configuration.GetSection(MetricsOptions.Section).Bind(metrics);
        var dashboardOptions = new DashboardOptions();
        configuration.GetSection(DashboardOptions.Section).Bind(dashboardOptions);
        var dashboard = DashboardEndpoint.IsEnabled(dashboardOptions, options.Development);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = sites[0].Folder,
            EnvironmentName = options.Development ? Environments.Development : Environments.Production,
        });
        var urls = ListenUrls(options, server).ToList();
        var firstFolder = sites[0].Folder;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = server.MaxConnections > 0 ? server.MaxConnections : null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = kestrel.Limits.MaxConcurrentConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = server.MaxRequestHeaderSize;
            var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("CandyPack.Host");
            X509Certificate2? certificate = options.Certificate;
            ListenEndpoints.Configure(
                kestrel,
                urls,
                () => certificate ??= TlsCertificates.Resolve(server.Https, firstFolder, options.Development, logger),
                server.Https.Http3,
                logger);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(server.ShutdownTimeout));
        builder.Services.AddRouting();
        builder.Services.AddSingleton<SiteRegistry>();
        builder.Services.AddSingleton<CandyEndpointDataSource>();
        builder.Services.AddSingleton<MatcherPolicy, SiteMatcherPolicy>();
        builder.Services.AddSingleton<SiteActivator>();
        builder.Services.AddSingleton(services => new ErrorResponses(
            services.GetRequiredService<ILogger<CandyErrorMiddleware>>(), options.Development));
        builder.Services.AddHealthChecks().AddCheck<SitesHealthCheck>("sites");
        Streaming.StreamCompression.AddServices(builder.Services);
        if (server.MaxConcurrentRequests > 0)
        {
            ConcurrencyLimit.AddTo(builder.Services, server.MaxConcurrentRequests);
        }

        if (metrics.Enabled)
        {
            MetricsEndpoint.AddServices(builder.Services, sites[0].Name);
        }

        if (dashboard)
        {
            DashboardEndpoint.AddServices(builder.Services, dashboardOptions);
        }

        options.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        var registry = app.Services.GetRequiredService<SiteRegistry>();
        var dataSource = app.Services.GetRequiredService<CandyEndpointDataSource>();
        ((IEndpointRouteBuilder)app).DataSources.Add(dataSource);

        options.ConfigurePipeline?.Invoke(app);
        app.UseMiddleware<CandyErrorMiddleware>();

        // Before the limiter, like health: a scrape is answered however busy the instance is.
        if (metrics.Enabled)
        {
            MetricsEndpoint.Map(app);
        }

        // Every site's stream routes may be upgraded; each site's websocket section decides, per request, whether to take it.
        // Only a request that can be upgraded meets the WebSocket middleware, which gives every request it sees a feature
        // object (an SSE stream would keep it for its whole life).
        app.UseWhen(Streaming.WebSocketBatching.CanUpgrade, branch =>
        {
            branch.Use(Streaming.WebSocketBatching.Use);
            branch.UseWebSockets();
        });
        app.Use(Streaming.WebSocketOverHttp2.RouteAsGet);
        app.UseRouting();
        app.Use(Streaming.WebSocketOverHttp2.RestoreConnect);

        // After routing, so the limiter sees health's DisableRateLimiting; before candy.js, static files and routes, which it limits.
        if (server.MaxConcurrentRequests > 0)
        {
            app.UseRateLimiter();
        }

        HealthEndpoint.Map(app);
        Api.ServerApiEndpoint.Map(app);
        Client.ClientScripts.Use(app);
        if (dashboard)
        {
            DashboardEndpoint.UseAssets(app);
            DashboardEndpoint.MapEndpoints(app, dashboardOptions);
        }

        if (dashboard && !string.IsNullOrWhiteSpace(dashboardOptions.Policy))
        {
            app.UseAuthorization();
        }

        Streaming.StreamCompression.Use(app);
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is not null)
            {
                return next(context);
            }

            var site = registry.Resolve(context.Request.Host).Site;
            return site is null ? NotFound.WriteAsync(context) : site.StaticFiles(context);
        });
        app.UseEndpoints(_ => { });

        var activator = app.Services.GetRequiredService<SiteActivator>();
        activator.Attach(app);
        var runtimes = new List<SiteRuntime>();
        try
        {
            foreach (var definition in sites)
            {
                runtimes.Add(activator.Load(definition));
            }
        }
        catch
        {
            foreach (var runtime in runtimes)
            {
                runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        activator.Publish(runtimes);
        var startupLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CandyPack.Host");
        app.Lifetime.ApplicationStarted.Register(() => StartupSummary.Log(
            startupLogger, StartupSummary.Lines(app.Services, app.Environment.EnvironmentName, dashboard, metrics.Enabled)));
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            foreach (var runtime in registry.Sites)
            {
                runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        return app;
    }

    internal static IEnumerable<string> ListenUrls(CandyHostOptions options, ServerOptions server)
    {
        var urls = new List<string>(options.Urls);
        if (urls.Count == 0)
        {
            if (options.Port is null && !string.IsNullOrWhiteSpace(server.Urls))
            {
                urls.AddRange(server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else
            {
                urls.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{options.Port ?? server.Port}"));
            }
        }

        if ((options.HttpsPort ?? server.Https.Port) is { } https && !urls.Any(ListenEndpoints.IsHttps))
        {
            // HTTPS listens where HTTP does: all interfaces in a container, loopback on a workstation.
            var host = Uri.TryCreate(urls[0].Replace("h2c://", "http://", StringComparison.Ordinal), UriKind.Absolute, out var first) ? first.Host : "127.0.0.1";
            urls.Add(string.Create(CultureInfo.InvariantCulture, $"https://{host}:{https}"));
        }

        return urls;
    }
}
