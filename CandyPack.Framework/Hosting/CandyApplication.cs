using System.Globalization;
using System.Security.Cryptography.X509Certificates;
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

        var server = new ServerOptions();
        SiteConfiguration.Load(sites[0].Folder).GetSection("server").Bind(server);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = sites[0].Folder,
            EnvironmentName = options.Development ? Environments.Development : Environments.Production,
        });
        var urls = ListenUrls(options, server).ToList();
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
                () => certificate ??= TlsCertificates.Resolve(server.Https, sites[0].Folder, options.Development, logger),
                server.Https.Http3,
                logger);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(server.ShutdownTimeout));
        builder.Services.AddRouting();
        builder.Services.AddSingleton<SiteRegistry>();
        builder.Services.AddSingleton<CandyEndpointDataSource>();
        builder.Services.AddSingleton<MatcherPolicy, SiteMatcherPolicy>();
        builder.Services.AddHealthChecks().AddCheck<SitesHealthCheck>("sites");
        options.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        var registry = app.Services.GetRequiredService<SiteRegistry>();
        var dataSource = app.Services.GetRequiredService<CandyEndpointDataSource>();
        ((IEndpointRouteBuilder)app).DataSources.Add(dataSource);

        options.ConfigurePipeline?.Invoke(app);
        app.UseMiddleware<CandyErrorMiddleware>(options.Development);
        if (server.MaxConcurrentRequests > 0)
        {
            app.UseMiddleware<ConcurrencyLimitMiddleware>(server.MaxConcurrentRequests);
        }

        HealthEndpoint.Map(app);
        app.UseRouting();
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is not null)
            {
                return next(context);
            }

            var site = registry.Resolve(context.Request.Host).Site;
            return site is null ? NotFound(context) : site.StaticFiles(context);
        });
        app.UseEndpoints(_ => { });

        var runtimes = new List<SiteRuntime>();
        try
        {
            foreach (var definition in sites)
            {
                var runtime = SiteLoader.Load(definition, app.Services);
                runtime.StaticFiles = BuildStaticFiles(app, runtime);
                runtimes.Add(runtime);
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

        registry.Set(runtimes);
        dataSource.Update(runtimes);
        LogRouteTable(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CandyPack.Host"), runtimes);
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

    private static RequestDelegate BuildStaticFiles(IApplicationBuilder app, SiteRuntime site)
    {
        var branch = app.New();
        var publicFolder = Path.Combine(site.Folder, "public");
        if (Directory.Exists(publicFolder))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(publicFolder));
            site.Disposables.Add(files);
            branch.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            branch.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        branch.Run(NotFound);
        return branch.Build();
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"Not Found: {context.Request.Method} {context.Request.Path}");
    }

    private static void LogRouteTable(ILogger logger, List<SiteRuntime> sites)
    {
        foreach (var site in sites)
        {
            logger.LogInformation("Site {Site} from {Folder} for {Domains}: {Count} routes", site.Name, site.Folder, string.Join(", ", site.Domains), site.Routes.Count);
            foreach (var endpoint in site.Endpoints)
            {
                logger.LogInformation("  {Route}", endpoint.DisplayName);
            }
        }
    }
}
