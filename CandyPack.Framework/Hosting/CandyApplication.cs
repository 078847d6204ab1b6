using System.Globalization;
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

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = sites[0].Folder,
            EnvironmentName = options.Development ? Environments.Development : Environments.Production,
        });
        builder.WebHost.UseUrls([.. ListenUrls(options, sites[0])]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddRouting();
        builder.Services.AddSingleton<SiteRegistry>();
        builder.Services.AddSingleton<CandyEndpointDataSource>();
        builder.Services.AddSingleton<MatcherPolicy, SiteMatcherPolicy>();
        options.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        var registry = app.Services.GetRequiredService<SiteRegistry>();
        var dataSource = app.Services.GetRequiredService<CandyEndpointDataSource>();
        ((IEndpointRouteBuilder)app).DataSources.Add(dataSource);

        options.ConfigurePipeline?.Invoke(app);
        app.UseMiddleware<CandyErrorMiddleware>(options.Development);
        app.UseMiddleware<Client.ClientScriptMiddleware>();
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

    internal static IEnumerable<string> ListenUrls(CandyHostOptions options, SiteDefinition firstSite)
    {
        if (options.Urls.Count > 0)
        {
            return options.Urls;
        }

        var server = new ServerOptions();
        SiteConfiguration.Load(firstSite.Folder).GetSection("server").Bind(server);
        if (options.Port is null && !string.IsNullOrWhiteSpace(server.Urls))
        {
            return server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return [string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{options.Port ?? server.Port}")];
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
