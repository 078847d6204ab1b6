using System.Globalization;

namespace CandyPack.Benchmarks.Cli;

/// <summary>The sizes of a run: the full run the targets are stated for, or a short smoke run (<c>--quick</c>).</summary>
internal sealed class BenchSettings
{
    public bool Quick { get; private init; }

    /// <summary>Measured repetitions of the generator, broadcast and JSON scenarios, alternating the sides; the round with the median ratio is reported.</summary>
    public int Rounds { get; private init; } = 3;

    /// <summary>Use wrk for the JSON scenario when it is installed; <c>--no-wrk</c> forces the in-process load client.</summary>
    public bool UseWrk { get; private init; } = true;

    /// <summary>
    /// <c>--hold N</c>: keep the idle streams open N seconds at their peak, with the server's pid printed, so its heap
    /// can be inspected (for instance with dotnet-gcdump) while the figure is measured.
    /// </summary>
    public TimeSpan Hold { get; private init; }

    /// <summary>
    /// <c>--redis host:port</c>: the broadcast scenario's CandyPack server shares its channels through this Redis server
    /// (as <c>CANDY_REDIS</c>), so its candy.Channel rows include the trip through Redis; the presence scenario uses it for
    /// its Redis rows instead of a private redis-server; other scenarios ignore it.
    /// </summary>
    public string? Redis { get; private init; }

    public int GeneratorItems => Quick ? 100_000 : 1_000_000;

    /// <summary>Items of the generator read in each way of the compression scenario.</summary>
    public int CompressionItems => Quick ? 20_000 : 200_000;

    /// <summary>Channel ticks of the compression scenario, published one at a time.</summary>
    public int CompressionTicks => Quick ? 200 : 1_000;

    public IReadOnlyList<int> BroadcastClients => Quick ? [100, 1_000] : [1_000, 10_000];

    public int BroadcastMessages => Quick ? 5 : 10;

    /// <summary>Messages sent before measuring, so the first publish does not pay for JIT and cold caches.</summary>
    public int BroadcastWarmupMessages { get; } = 3;

    /// <summary>Subscribers of the reconnect storm.</summary>
    public int StormClients => Quick ? 1_000 : 10_000;

    /// <summary>Messages published while the storm's subscribers are away, which each must get on resuming (at most 63).</summary>
    public int StormMissedMessages { get; } = 10;

    /// <summary>Storms per side (one keeps a full run within about five minutes); with more, each side reports its round with the median time.</summary>
    public int StormRounds { get; } = 1;

    /// <summary>Users of the presence scenario: subscribers listed in the room, and the size of its join and leave storms.</summary>
    public int PresenceClients => Quick ? 1_000 : 10_000;

    /// <summary>Timed requests for the presence list, after a few untimed ones.</summary>
    public int PresenceListRequests { get; } = 50;

    public int IdleStreams => Quick ? 1_000 : 10_000;

    /// <summary>Streams per HTTP/2 connection in the multiplexed idle row: Kestrel's default limit of concurrent streams.</summary>
    public int StreamsPerH2Connection { get; } = 100;

    public TimeSpan JsonDuration => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);

    public TimeSpan JsonWarmup => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);

    /// <summary>wrk's -t and -c: two threads for the two cores, fifty kept-alive connections.</summary>
    public int JsonThreads { get; } = 2;

    public int JsonConnections { get; } = 50;

    /// <summary>
    /// Reads the flags; returns the remaining arguments (benchmark names) in order. Flags this suite does not know, in
    /// <c>--name=value</c> form, are left to the standalone benchmarks, which get the whole command line.
    /// </summary>
    public static BenchSettings Parse(IReadOnlyList<string> args, out List<string> names, out List<string> otherFlags)
    {
        names = [];
        otherFlags = [];
        var quick = false;
        var useWrk = true;
        int? rounds = null;
        var hold = 0;
        string? redis = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--no-wrk":
                    useWrk = false;
                    break;
                case "--rounds" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    rounds = n;
                    i++;
                    break;
                case "--hold" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    hold = seconds;
                    i++;
                    break;
                case "--redis" when i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    redis = args[i + 1];
                    i++;
                    break;
                case var flag when flag.StartsWith("--", StringComparison.Ordinal):
                    otherFlags.Add(flag);
                    break;
                default:
                    names.Add(args[i]);
                    break;
            }
        }

        return new BenchSettings { Quick = quick, UseWrk = useWrk, Rounds = rounds ?? (quick ? 1 : 3), Hold = TimeSpan.FromSeconds(hold), Redis = redis };
    }
}
