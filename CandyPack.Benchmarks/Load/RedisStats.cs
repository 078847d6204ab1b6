using System.Globalization;
using StackExchange.Redis;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// What a Redis server reports about its own work (<c>INFO</c>): commands processed in total and by command, and its
/// CPU time. Two readings subtract into what happened between them.
/// </summary>
internal sealed record RedisStats(long Commands, TimeSpan Cpu, IReadOnlyDictionary<string, long> CallsByCommand)
{
    public static async Task<RedisStats> ReadAsync(IServer server)
    {
        var info = (await server.InfoAsync("all")).SelectMany(section => section).ToList();
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        long commands = 0;
        double cpuSeconds = 0;
        foreach (var (key, value) in info)
        {
            switch (key)
            {
                case "total_commands_processed":
                    commands = long.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "used_cpu_sys" or "used_cpu_user":
                    cpuSeconds += double.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case var name when name.StartsWith("cmdstat_", StringComparison.Ordinal):
                    // cmdstat_evalsha: calls=10000,usec=...,usec_per_call=...
                    var field = value.Split(',')[0];
                    calls[name["cmdstat_".Length..]] = long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
                    break;
            }
        }

        return new RedisStats(commands, TimeSpan.FromSeconds(cpuSeconds), calls);
    }

    /// <summary>What happened from <paramref name="before"/> to this reading.</summary>
    public RedisStats Since(RedisStats before) => new(
        Commands - before.Commands,
        Cpu - before.Cpu,
        CallsByCommand
            .Select(pair => KeyValuePair.Create(pair.Key, pair.Value - before.CallsByCommand.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Value != 0)
            .ToDictionary(StringComparer.Ordinal));

    /// <summary>Calls per command divided by <paramref name="per"/>, most frequent first: <c>evalsha 1.00, xadd 1.00</c>.</summary>
    public string Describe(int per) => string.Join(", ", CallsByCommand
        .OrderByDescending(pair => pair.Value)
        .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {(double)pair.Value / per:0.00}")));
}
