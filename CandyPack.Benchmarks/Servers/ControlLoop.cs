using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The server's side of the control protocol, on stdin/stdout so that no control traffic shares the HTTP path
/// being measured. One command a line; every answer is one line starting with <c>@</c>. Broadcast commands name the
/// broadcaster by its subscription path: <c>subscribers /subscribe</c>, <c>publish /subscribe 7</c>.
/// </summary>
internal static class ControlLoop
{
    public static async Task RunAsync(IReadOnlyList<IBroadcaster> broadcasters, TextReader input, TextWriter output)
    {
        // End of input is also the end: a load client that dies leaves no server behind.
        while (await input.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts.FirstOrDefault())
            {
                case "quit":
                    return;
                case "gc":
                    Settle();
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"@ok {GC.GetTotalMemory(forceFullCollection: false)}"));
                    break;
                case "subscribers" when parts.Length == 2 && Find(parts[1]) is { } broadcast:
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"@ok {broadcast.Subscribers}"));
                    break;
                case "publish" when parts.Length == 3 && Find(parts[1]) is { } broadcast
                                    && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var seq):
                    // The timestamp is taken before the publish, so the latency includes the publish itself.
                    var accepted = await broadcast.PublishAsync(new Tick(seq, Stopwatch.GetTimestamp()));
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"@ok {accepted}"));
                    break;
                default:
                    await output.WriteLineAsync($"@error unknown command '{line}' (broadcasts here: {string.Join(", ", broadcasters.Select(b => b.Path))})");
                    break;
            }
        }

        IBroadcaster? Find(string path) => broadcasters.FirstOrDefault(b => b.Path == path);
    }

    /// <summary>Collects everything collectable and returns free memory to the OS, so RSS shows what is really held.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
