using System.Reflection;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Testing;

/// <summary>
/// Starts a site in the test process, as <c>candy run</c> serves it (the same host composition: routes, streams,
/// WebSockets, channels, static files), on a real Kestrel listening on a free 127.0.0.1 port.
/// </summary>
/// <example>
/// <code>
/// await using var site = await CandySiteFactory.StartAsync(typeof(MySite.Route.Www).Assembly);
/// using var http = site.CreateHttpClient();
/// var hello = await http.GetStringAsync("/hello");
/// </code>
/// </example>
public static class CandySiteFactory
{
    /// <summary>Starts the site whose code is <paramref name="site"/>; dispose the result to stop it.</summary>
    /// <param name="site">The site's assembly, e.g. <c>typeof(MySite.Route.Www).Assembly</c> from a test project that references the site's project.</param>
    /// <param name="configure">Changes to the defaults: the site's folder, services, settings, clock and database.</param>
    /// <param name="cancellationToken">Gives up starting.</param>
    /// <returns>The running site.</returns>
    /// <exception cref="DirectoryNotFoundException">The site's folder was not given and could not be found, or does not exist.</exception>
    /// <exception cref="CandyStartupException">The site does not start: the message names what is wrong, as <c>candy run</c> would.</exception>
    public static async Task<CandySite> StartAsync(Assembly site, Action<CandySiteOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        var options = new CandySiteOptions();
        configure?.Invoke(options);
        var folder = Path.GetFullPath(options.SiteFolder ?? SiteFolder.Of(site, AppContext.BaseDirectory));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The site folder {folder} does not exist.");
        }

        var dataFolder = options.IsolatedDatabase ? Directory.CreateTempSubdirectory("candy-testing-").FullName : null;
        WebApplication? app = null;
        try
        {
            var services = options.Services.ToList();
            var definition = new SiteDefinition(folder, site)
            {
                Settings = new Dictionary<string, string?>(options.Settings, StringComparer.OrdinalIgnoreCase),
                DatabaseFile = dataFolder is null ? null : Path.Combine(dataFolder, "data.db"),
                ConfigureServices = collection => services.ForEach(change => change(collection)),
            };
            app = CandyApplication.Build(Host(options), [definition]);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => a.StartsWith("http:", StringComparison.Ordinal));
            var runtime = app.Services.GetRequiredService<SiteRegistry>().Sites[0];
            return new CandySite(app, new Uri(address), runtime.Services, definition.DatabaseFile, dataFolder);
        }
        catch
        {
            if (app is not null)
            {
                // Stopping releases what Build loaded for the site (its channels, timers and database), started or not.
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }

            if (dataFolder is not null)
            {
                Directory.Delete(dataFolder, recursive: true);
            }

            throw;
        }
    }

    private static CandyHostOptions Host(CandySiteOptions options)
    {
        var host = new CandyHostOptions
        {
            Development = options.Development,
            ConfigureBuilder = builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                foreach (var logging in options.Logging)
                {
                    logging(builder.Logging);
                }

                // A host service: the site's container shares it, and the framework's channels and limits read it from there.
                if (options.TimeProvider is { } clock)
                {
                    builder.Services.AddSingleton(clock);
                }
            },
        };
        host.Urls.Add("http://127.0.0.1:0");
        return host;
    }
}
