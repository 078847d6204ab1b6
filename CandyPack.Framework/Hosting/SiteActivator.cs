using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Brings sites into service and out of it: loads a site with its static files, publishes its endpoints, swaps a
/// rebuilt site in while the old one finishes its requests (its streams move to the new one), and disposes the old
/// one once it is idle.
/// </summary>
internal sealed class SiteActivator(SiteRegistry registry, CandyEndpointDataSource endpoints, ILoggerFactory loggerFactory)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(200);
    private readonly ILogger _logger = loggerFactory.CreateLogger("CandyPack.Host");
    private IApplicationBuilder? _app;

    public void Attach(IApplicationBuilder app) => _app = app;

    /// <exception cref="CandyStartupException">The site's configuration or conventions are invalid.</exception>
    public SiteRuntime Load(SiteDefinition definition)
    {
        var app = _app ?? throw new InvalidOperationException("The activator is not attached to an application.");
        var runtime = SiteLoader.Load(definition, app.ApplicationServices);
        try
        {
            runtime.StaticFiles = BuildStaticFiles(app, runtime);
        }
        catch
        {
            SiteLoader.Release(runtime, _logger);
            throw;
        }

        return runtime;
    }

    public void Publish(IReadOnlyList<SiteRuntime> sites)
    {
        registry.Set(sites);
        endpoints.Update(sites);
        foreach (var site in sites)
        {
            LogRouteTable(site);
        }
    }

    /// <summary>Loads <paramref name="definition"/> and serves it in place of <paramref name="old"/>; on failure the old site keeps serving.</summary>
    public SiteRuntime Replace(SiteRuntime old, SiteDefinition definition)
    {
        var replacement = Load(definition);
        registry.Replace(old, replacement);
        endpoints.Update(registry.Sites);
        LogRouteTable(replacement);
        return replacement;
    }

    /// <summary>
    /// Closes the old site's streams without <c>end</c>, as a shutdown does, so their clients reconnect to the site
    /// that replaced it; waits until its last request has finished, then releases it.
    /// </summary>
    public async Task RetireAsync(SiteRuntime old, CancellationToken cancellationToken)
    {
        old.Streams.ShutdownAll();
        while (old.ActiveRequests > 0 || old.Streams.Count > 0)
        {
            await Task.Delay(IdlePoll, cancellationToken);
        }

        await old.DisposeAsync();
        _logger.LogInformation("The previous build of site {Site} finished its last request and was released", old.Name);
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

        branch.Run(NotFound.WriteAsync);
        return branch.Build();
    }

    private void LogRouteTable(SiteRuntime site)
    {
        _logger.LogInformation("Site {Site} from {Folder} for {Domains}: {Count} routes", site.Name, site.Folder, string.Join(", ", site.Domains), site.Routes.Count);
        foreach (var endpoint in site.Endpoints)
        {
            _logger.LogInformation("  {Route}", endpoint.DisplayName);
        }

        if (site.Options.Api.Enabled)
        {
            // The number of keys, never a key.
            _logger.LogInformation(
                "  Server API at {Path}/: {Keys} API keys{Policy}", Api.ServerApiEndpoint.Path, site.Options.Api.Keys.Count, site.Options.Api.Policy is { } policy ? $", policy {policy}" : string.Empty);
        }
    }
}
