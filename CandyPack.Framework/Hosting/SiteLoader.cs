using System.Text.Json;
using CandyPack.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Turns a compiled site into a <see cref="SiteRuntime"/>: reads its configuration, registers its controllers and
/// route files with Scrutor, maps the routes, resolves every target and builds the endpoints. Every convention
/// problem is collected and reported at once.
/// </summary>
internal static class SiteLoader
{
    public static SiteRuntime Load(SiteDefinition definition, IServiceProvider hostServices)
    {
        var configuration = SiteConfiguration.Load(definition);
        var options = new CandyOptions();
        Channels.ChannelNamespaces.CheckConfiguration(configuration, definition.Name);
        configuration.Bind(options);
        Api.ApiAccess.Validate(options.Api, definition.Name);
        var types = SiteCode.Types(definition);

        var loggerFactory = hostServices.GetRequiredService<ILoggerFactory>();
        var logger = loggerFactory.CreateLogger("CandyPack.Site." + definition.Name);
        Channels.ChannelHub? channels = null;
        ServiceProvider? provider = null;
        SiteRuntime? site = null;
        try
        {
            var services = new ServiceCollection();
            AddHostServices(services, hostServices, loggerFactory, configuration, options);
            AddDatabase(services, configuration, definition, loggerFactory);
            channels = new Channels.ChannelHub(
                definition.Name, options, loggerFactory.CreateLogger("CandyPack.Channels." + definition.Name), hostServices.GetService<TimeProvider>());
            services.AddSingleton<ICandyChannels>(channels);
            AddDataProtection(services, definition.Name, channels);
            var found = new ServiceCollection();
            found.Scan(scan => scan
                .FromAssemblies(definition.Assembly)
                .AddClasses(c => c.AssignableTo<IController>().Where(definition.Contains), publicOnly: false)
                    .AsSelf().WithScopedLifetime()
                .AddClasses(c => c.AssignableTo(typeof(IController<>)).Where(definition.Contains), publicOnly: false)
                    .AsSelf().WithScopedLifetime()
                .AddClasses(c => c.AssignableTo<RouteFile>().Where(definition.Contains), publicOnly: false)
                    .AsSelf().WithTransientLifetime());
            foreach (var descriptor in found)
            {
                ((IList<ServiceDescriptor>)services).Add(descriptor);
            }

            SiteCode.RunStartups(definition, types, services, configuration);
            definition.ConfigureServices?.Invoke(services);

            // The site's JSON settings: its own when a startup registered them, else the web defaults. Responses,
            // channels and JSON columns share this one instance, which goes away with the site.
            services.TryAddSingleton(new JsonSerializerOptions(JsonSerializerDefaults.Web));
            services.Decorate<JsonSerializerOptions>(SiteJson.OwnCache);
            var scanned = found.Select(d => d.ImplementationType!).ToList();
            var controllers = Controllers(scanned, logger);
            provider = BuildProvider(services, definition);
            site = new SiteRuntime(definition, configuration, options, provider, logger);
            site.Errors = hostServices.GetRequiredService<ErrorResponses>();
            site.Channels = channels;
            site.Disposables.Add(channels);
            AddDatabaseReadiness(site, provider.GetRequiredService<Data.DatabaseRegistry>());
            channels.Start(site.JsonOptions, provider);
            Api.ApiAccess.ValidatePolicy(options.Api, provider, definition.Name);
            site.UserIndex = options.Api.Enabled ? new Identity.UserStreamIndex(definition.Name, logger, channels.Redis) : null;
            site.UserStreams = new Identity.UserStreamLimit(
                options.Stream, TimeSpan.FromSeconds(options.Channels.PresenceTimeout), definition.Name, logger, channels.Redis, hostServices.GetService<TimeProvider>() ?? TimeProvider.System, site.UserIndex);
            site.Disposables.Add(site.UserStreams);
            if (hostServices.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>() is { } lifetime)
            {
                site.Disposables.Add(lifetime.ApplicationStopping.Register(site.Streams.ShutdownAll));
            }

            var routes = MapRoutes(scanned.Where(t => typeof(RouteFile).IsAssignableFrom(t) && !t.IsAbstract), provider);
            BuildEndpoints(site, routes, new ControllerResolver(controllers));
            return site;
        }
        catch
        {
            // A site that fails to load must not leave its timer, backplane connection or shutdown hook behind.
            if (site is not null)
            {
                Release(site, logger);
            }
            else
            {
                ReleaseParts(provider, channels, logger);
            }

            throw;
        }
    }

    /// <summary>Releases a site that will never serve; a failure to release is logged, so the load error that led here is the one reported.</summary>
    public static void Release(SiteRuntime site, ILogger logger)
    {
        try
        {
            site.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Releasing site {Site} after it failed to load also failed", site.Name);
        }
    }

    private static void ReleaseParts(ServiceProvider? provider, Channels.ChannelHub? channels, ILogger logger)
    {
        try
        {
            channels?.Dispose();
            provider?.Dispose();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Releasing the services of a site that failed to load also failed");
        }
    }

    private static List<ControllerDescriptor> Controllers(List<Type> scanned, ILogger logger)
    {
        var controllers = new List<ControllerDescriptor>();
        foreach (var type in scanned.Where(t => !typeof(RouteFile).IsAssignableFrom(t)))
        {
            if (ControllerDescriptor.TryCreate(type) is { } controller)
            {
                controllers.Add(controller);
            }
            else
            {
                logger.LogWarning("{Type} is a controller outside any .Controller namespace, so no route target can reach it", type.FullName);
            }
        }

        return controllers;
    }

    private static ServiceProvider BuildProvider(ServiceCollection services, SiteDefinition definition)
    {
        try
        {
            return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        }
        catch (AggregateException e)
        {
            throw new CandyStartupException(
                $"Site {definition.Name}: controllers whose constructors cannot be satisfied:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", e.InnerExceptions.Select(x => x.Message)),
                e);
        }
    }

    private static void AddHostServices(
        ServiceCollection services,
        IServiceProvider hostServices,
        ILoggerFactory loggerFactory,
        IConfiguration configuration,
        CandyOptions options)
    {
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(configuration);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        foreach (var shared in SharedHostServices)
        {
            if (hostServices.GetService(shared) is { } instance)
            {
                services.AddSingleton(shared, instance);
            }
        }
    }

    /// <summary>
    /// The site's databases, shared by <c>candy.Mysql</c> and controllers that take <see cref="Data.SqlDatabase"/>;
    /// created with the site's JSON settings (for JSON columns) and disposed with the site's services.
    /// </summary>
    private static void AddDatabase(ServiceCollection services, IConfiguration configuration, SiteDefinition definition, ILoggerFactory loggerFactory)
    {
        services.AddSingleton(provider => Data.DatabaseRegistry.Create(
            configuration, definition.Folder, loggerFactory, provider.GetRequiredService<JsonSerializerOptions>(), definition.DatabaseFile));
        services.AddSingleton(provider =>
        {
            var registry = provider.GetRequiredService<Data.DatabaseRegistry>();
            return new Data.SqlDatabase(registry, registry.Default, CancellationToken.None);
        });
    }

    /// <summary>
    /// Data Protection for subscribe tokens and the site's own authentication cookies: one application name per site, so
    /// every instance of it reads the others' tokens; with Redis the key ring lives there, shared by all instances. A
    /// startup may configure it further.
    /// </summary>
    private static void AddDataProtection(ServiceCollection services, string site, Channels.ChannelHub channels)
    {
        var protection = Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(
            Microsoft.Extensions.DependencyInjection.DataProtectionServiceCollectionExtensions.AddDataProtection(services), "CandyPack:" + site);
        if (channels.RedisConfiguration is not null)
        {
            // The key ring is read on first use, after the backplane has connected.
            Microsoft.AspNetCore.DataProtection.StackExchangeRedisDataProtectionBuilderExtensions.PersistKeysToStackExchangeRedis(
                protection, () => channels.Redis!.Database, "candy:" + site + ":data-protection-keys");
        }
    }

    /// <summary>The site is ready for <c>/_candy/health</c> only while its default database answers.</summary>
    private static void AddDatabaseReadiness(SiteRuntime site, Data.DatabaseRegistry databases) =>
        site.ReadinessChecks.Add(async cancellationToken =>
        {
            try
            {
                await databases.Default.RunAsync("SELECT 1", null, cancellationToken);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return $"the database '{databases.Default.Name}' does not answer: {e.Message}";
            }
        });

    /// <summary>
    /// Host singletons a site's own services may depend on; the endpoint data source because <c>AddAuthorization</c>
    /// (for <c>api.policy</c>, say) registers a policy cache that watches it.
    /// </summary>
    private static readonly Type[] SharedHostServices =
    [
        typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime),
        typeof(TimeProvider),
        typeof(EndpointDataSource),
    ];

    private static List<RouteDefinition> MapRoutes(IEnumerable<Type> routeFiles, IServiceProvider provider)
    {
        var routes = new List<RouteDefinition>();
        foreach (var type in routeFiles.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var subdomain = type.Name.ToLowerInvariant();
            var router = new Router($"route/{subdomain}.cs ({type.FullName})", subdomain);
            try
            {
                ((RouteFile)provider.GetRequiredService(type)).MapInto(router);
            }
            catch (Exception e) when (e is not CandyStartupException)
            {
                throw new CandyStartupException($"route/{subdomain}.cs ({type.FullName}) failed to map its routes: {e.Message}", e);
            }
            routes.AddRange(router.Routes);
        }

        return routes;
    }

    private static void BuildEndpoints(SiteRuntime site, List<RouteDefinition> routes, ControllerResolver resolver)
    {
        var errors = new List<string>();
        var endpoints = new List<Endpoint>();
        var infos = new List<RouteInfo>();
        var seen = new Dictionary<(string, string, string), RouteDefinition>();
        foreach (var route in routes)
        {
            RoutePattern pattern;
            try
            {
                pattern = RoutePatternFactory.Parse(route.Pattern);
            }
            catch (RoutePatternException e)
            {
                errors.Add($"{route.RouteFile}: {route.Method} {route.Pattern} is not a valid route pattern: {e.Message}");
                continue;
            }

            var key = (route.Subdomain, route.Method, RouteTemplateKey.Of(pattern));
            if (seen.TryGetValue(key, out var first))
            {
                errors.Add(Duplicate(route, first));
                continue;
            }

            seen[key] = route;

            ControllerDescriptor? controller = null;
            if (route.Target is not null && (controller = resolver.Resolve(route, out var error)) is null)
            {
                errors.Add(error!);
                continue;
            }

            var info = new RouteInfo(route.Method, route.Pattern, route.Target, route.Subdomain, route.RouteFile);
            var handler = new RouteEndpointHandler(site, info, controller, route.Handler);
            var builder = new RouteEndpointBuilder(handler.InvokeAsync, pattern, order: 0)
            {
                DisplayName = controller is null ? info.ToString() : $"{info} ({controller.Type.FullName})",
            };
            builder.Metadata.Add(new HttpMethodMetadata([route.Method]));
            builder.Metadata.Add(new SiteRouteMetadata(site, route.Subdomain, info));
            endpoints.Add(builder.Build());
            infos.Add(info);
        }

        if (errors.Count > 0)
        {
            throw new CandyStartupException(
                $"Site {site.Name} ({site.Folder}) has {errors.Count} route error(s):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors));
        }

        site.Endpoints = endpoints;
        site.Routes = infos;
    }

    private static string Duplicate(RouteDefinition route, RouteDefinition first) =>
        route.Pattern == first.Pattern
            ? $"{route.RouteFile}: {route.Method} {route.Pattern} is mapped twice (first in {first.RouteFile})."
            : $"{route.RouteFile}: {route.Method} {route.Pattern} matches the same requests as {first.Method} {first.Pattern} " +
              $"(in {first.RouteFile}), so routing could not choose between them. Remove one, or make them differ by a literal segment or a constraint such as {{id:int}}.";
}
