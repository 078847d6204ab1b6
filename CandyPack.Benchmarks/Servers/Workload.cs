using System.Runtime.CompilerServices;

namespace CandyPack.Benchmarks.Servers;

/// <summary>One generated item: the JSON both servers frame per event of the generator scenario.</summary>
internal sealed record Item(int Id, string Name);

/// <summary>
/// A broadcast message. <see cref="Sent"/> is the publisher's <see cref="System.Diagnostics.Stopwatch"/> timestamp:
/// on Linux that is CLOCK_MONOTONIC in nanoseconds, one clock for every process, so a client on the same machine
/// subtracts it from its own receive timestamp to get publish→receive latency.
/// </summary>
internal sealed record Tick(long Seq, long Sent)
{
    /// <summary>The first event of every subscription; the client counts the subscription as open when it arrives.</summary>
    public static Tick Opened { get; } = new(-1, 0);
}

/// <summary>The body of the JSON scenario.</summary>
internal sealed record Greeting(int Id, string Name, IReadOnlyList<string> Tags, bool Active);

/// <summary>The work both servers do, written once so the two sides differ only in the framework under them.</summary>
internal static class Workload
{
    /// <summary>The items of one page: the generator awaits once per page, as one that reads a database would.</summary>
    public const int PageSize = 1000;

    private static readonly string[] GreetingTags = ["fast", "small", "streaming"];

    public static async IAsyncEnumerable<Item> Items(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % PageSize == 0)
            {
                await Task.Yield();
                if (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
            }

            yield return new Item(i, "item");
        }
    }

    /// <summary>An idle stream: one event so the client knows it is open, then nothing until the client leaves.</summary>
    public static async IAsyncEnumerable<string> Idle([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return "open";
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client left; ending the sequence ends the response.
        }
    }

    public static Greeting Greeting() => new(1, "CandyPack", GreetingTags, true);

    /// <summary>Reads <c>?n=</c>, the number of generator items.</summary>
    public static int Count(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : 1000;
}
