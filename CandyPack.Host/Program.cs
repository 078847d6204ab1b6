using CandyPack;
using CandyPack.Host;
using CandyPack.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;

switch (args)
{
    case ["new", .. var newArguments]:
        return SiteTemplate.Create(newArguments);
    case ["publish", var target, ..] when ApiPublisher.IsUrl(target):
        return await ApiPublisher.PublishAsync(args[1..]);
    case ["publish", .. var publishArguments]:
        return await SitePublisher.PublishAsync(publishArguments);
}

HostArguments arguments;
try
{
    arguments = HostArguments.Parse(args is ["run", .. var runArguments] ? runArguments : args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(HostArguments.Usage);
    return args.Contains("--help") ? 0 : 2;
}

Log.Logger = HostLogging.CreateLogger();

try
{
    var loaded = new List<(SiteDefinition Definition, SiteLoadContext Context)>();
    foreach (var folder in arguments.Sites.Select(Path.GetFullPath))
    {
        loaded.Add(await SiteAssemblies.LoadAsync(folder, build: !arguments.NoBuild, CancellationToken.None));
    }

    var options = new CandyHostOptions
    {
        Port = arguments.Port,
        HttpsPort = arguments.HttpsPort,
        Development = !arguments.NoBuild,
        ConfigureBuilder = builder => builder.Services.AddSerilog(),
        ConfigurePipeline = app => app.UseSerilogRequestLogging(HostLogging.ConfigureRequestLog),
    };
    foreach (var url in arguments.Urls)
    {
        options.Urls.Add(url);
    }

    await using var app = CandyApplication.Build(options, [.. loaded.Select(l => l.Definition)]);
    var reloaders = new List<SiteReloader>();
    if (!arguments.NoBuild)
    {
        var runtimes = app.Services.GetRequiredService<SiteRegistry>().Sites;
        var activator = app.Services.GetRequiredService<SiteActivator>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CandyPack.Host");
        for (var i = 0; i < loaded.Count; i++)
        {
            reloaders.Add(new SiteReloader(runtimes[i].Folder, runtimes[i], loaded[i].Context, activator, logger, app.Lifetime.ApplicationStopping));
        }
    }

    // The reloaders own the load contexts from here on: a reference kept here would stop a replaced build from unloading.
    loaded.Clear();

    await app.RunAsync();
    reloaders.ForEach(r => r.Dispose());
    return 0;
}
catch (CandyStartupException e)
{
    Log.Fatal("{Problem}", e.Message);
    return 1;
}
catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
{
    Log.Fatal("Could not listen: {Problem}", e.Message);
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
