using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Cli;

/// <summary>A scenario of the streaming suite: measures both servers and adds its figures to the run's table.</summary>
internal sealed record Scenario(string Name, string Description, Func<BenchSettings, ResultTable, Task> RunAsync);
