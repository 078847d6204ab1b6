using CandyPack;
using CandyPack.Host;
using CandyPack.Hosting;
using Serilog;
using Serilog.Events;

HostArguments arguments;
try
{
    arguments = HostArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(HostArguments.Usage);
    return args.Contains("--help") ? 0 : 2;
}

Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
    .Enrich.FromLogContext()
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
    .CreateLogger();

try
{
    var sites = new List<SiteDefinition>();
    foreach (var folder in arguments.Sites.Select(Path.GetFullPath))
    {
        sites.Add(await SiteAssemblies.LoadAsync(folder, build: !arguments.NoBuild, CancellationToken.None));
    }

    var options = new CandyHostOptions
    {
        Port = arguments.Port,
        HttpsPort = arguments.HttpsPort,
        Development = !arguments.NoBuild,
        ConfigureBuilder = builder => builder.Services.AddSerilog(),
        ConfigurePipeline = app => app.UseSerilogRequestLogging(),
    };
    foreach (var url in arguments.Urls)
    {
        options.Urls.Add(url);
    }

    await using var app = CandyApplication.Build(options, sites);
    await app.RunAsync();
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
