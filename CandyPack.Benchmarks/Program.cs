using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Servers;

// serve candy|presence|baseline|signalr: a server under test, started by the load client below as a child process.
if (args is ["serve", var side])
{
    return await ServeCommand.RunAsync(side);
}

if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Usage();
    return args.Length == 0 ? 1 : 0;
}

var settings = BenchSettings.Parse(args, out var names, out var otherFlags);

var scenarios = new List<Scenario>();
var standalone = new List<Func<string[], Task<int>>>();
foreach (var name in names)
{
    if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
    {
        scenarios.AddRange(Catalog.Scenarios.Except(scenarios));
        standalone.AddRange(Catalog.Standalone.Values.Except(standalone));
    }
    else if (Catalog.Scenarios.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } scenario)
    {
        scenarios.Add(scenario);
    }
    else if (Catalog.Standalone.TryGetValue(name, out var run))
    {
        standalone.Add(run);
    }
    else
    {
        await Console.Error.WriteLineAsync($"Unknown benchmark '{name}'.");
        Usage();
        return 2;
    }
}

if (otherFlags.Count > 0 && standalone.Count == 0)
{
    await Console.Error.WriteLineAsync($"Unknown option {otherFlags[0]}. Options: --quick, --rounds N, --no-wrk, --hold N.");
    return 2;
}

var exitCode = scenarios.Count > 0 ? await SuiteRunner.RunAsync(scenarios, settings) : 0;
foreach (var run in standalone)
{
    exitCode = Math.Max(exitCode, await run(args));
}

return exitCode;

static void Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project CandyPack.Benchmarks -- all|<name>... [--quick] [--rounds N] [--no-wrk] [--hold N]");
    foreach (var scenario in Catalog.Scenarios)
    {
        Console.Error.WriteLine($"  {scenario.Name,-10} {scenario.Description}");
    }

    foreach (var name in Catalog.Standalone.Keys)
    {
        Console.Error.WriteLine($"  {name,-10} (standalone)");
    }

    Console.Error.WriteLine("  all        every benchmark above; --quick: short smoke run with reduced sizes");
}
