using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (b) One message pushed to every subscriber. The server stamps each message with its publish time; every client
/// subtracts that from the time the bytes reached it. Messages go one at a time: the next is published once every
/// client has the last, so a message's fan-out time is its slowest delivery and nothing queues behind it.
/// deliveries/s = deliveries ÷ the sum of the fan-out times. Each client count runs several rounds per side,
/// alternating which goes first; each figure is reported from the round with the median ratio.
/// </summary>
internal static class BroadcastScenario
{
    private static readonly SearchValues<byte> IntegerStart = SearchValues.Create("-0123456789"u8);

    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Quiet time between messages, so one message's aftermath (GC, flushes) does not land on the next.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var servers = await ServerPair.StartAsync();
        foreach (var clients in settings.BroadcastClients)
        {
            var candyRounds = new List<Result>();
            var baselineRounds = new List<Result>();
            for (var round = 0; round < settings.Rounds; round++)
            {
                // Alternating which side goes first spreads drift in the machine's other load over both.
                if (round % 2 == 0)
                {
                    candyRounds.Add(await MeasureAsync(servers.Candy, clients, settings, table));
                    baselineRounds.Add(await MeasureAsync(servers.Baseline, clients, settings, table));
                }
                else
                {
                    baselineRounds.Add(await MeasureAsync(servers.Baseline, clients, settings, table));
                    candyRounds.Add(await MeasureAsync(servers.Candy, clients, settings, table));
                }

                Console.Error.WriteLine($"    {clients} clients, round {round + 1}: CandyPack {Describe(candyRounds[^1])}; ASP.NET Core {Describe(baselineRounds[^1])}");
            }

            var judged = clients == 10_000;
            var count = clients.ToString("N0", CultureInfo.InvariantCulture);
            Add($"(b) broadcast to {count} clients: deliveries/s", r => r.DeliveriesPerSecond, Units.PerSecond, judged ? Target.RatioAtLeast(1.5) : null);
            Add($"(b) broadcast to {count} clients: server CPU per delivery", r => r.CpuPerDelivery, Units.Microseconds, null);
            Add($"(b) broadcast to {count} clients: p50 latency", r => r.P50, Units.Milliseconds, null);
            Add($"(b) broadcast to {count} clients: p99 latency", r => r.P99, Units.Milliseconds, judged ? Target.Below(50, "50 ms") : null);

            void Add(string figure, Func<Result, double> value, Func<double, string> format, Target? target)
            {
                var round = Statistics.MedianRound([.. candyRounds.Zip(baselineRounds, (c, b) => (value(c), value(b)))]);
                table.Add(new Measurement(figure, round.Candy, round.Baseline, format, target));
            }
        }
    }

    private static async Task<Result> MeasureAsync(ServerProcess server, int clients, BenchSettings settings, ResultTable table)
    {
        var warmup = settings.BroadcastWarmupMessages;
        var messages = warmup + settings.BroadcastMessages;
        // Latency of message m at client c, in Stopwatch ticks; 0 = never arrived.
        var latencies = new long[messages * clients];
        var remaining = Enumerable.Repeat(clients, messages).ToArray();
        var delivered = Enumerable.Range(0, messages).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        var cpuBefore = TimeSpan.Zero;
        var cpuAfter = TimeSpan.Zero;
        using (var crowd = await StreamCrowd.OpenAsync(server.EndPoint, "/subscribe", clients, Receive, 1024, TimeSpan.FromSeconds(180)))
        {
            await WaitForSubscribersAsync(server, clients);
            for (var m = 0; m < messages; m++)
            {
                if (m == warmup)
                {
                    cpuBefore = server.CpuTime;
                }

                var accepted = int.Parse(await server.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"publish {m}")), CultureInfo.InvariantCulture);
                if (accepted != clients)
                {
                    table.Note($"{server.Side}, {clients} clients: message {m} was accepted by {accepted} subscribers.");
                }

                try
                {
                    await delivered[m].Task.WaitAsync(DeliveryTimeout);
                }
                catch (TimeoutException)
                {
                    table.Note($"{server.Side}, {clients} clients: message {m} reached {clients - Volatile.Read(ref remaining[m])} clients within {DeliveryTimeout.TotalSeconds} s.");
                }

                await Task.Delay(Pause);
            }

            cpuAfter = server.CpuTime;
        }

        await WaitForSubscribersAsync(server, 0);
        return Summarise(latencies, clients, warmup, messages, cpuAfter - cpuBefore);

        void Receive(StreamClient client, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
        {
            if (!TryParseTick(data, out var seq, out var sent) || seq < 0 || seq >= messages)
            {
                // The subscription's first event (seq -1) or something else; neither is a delivery.
                return;
            }

            latencies[(seq * clients) + client.Index] = client.ReceivedAt - sent;
            if (Interlocked.Decrement(ref remaining[seq]) == 0)
            {
                delivered[seq].TrySetResult();
            }
        }
    }

    private static string Describe(Result result) =>
        $"{Units.PerSecond(result.DeliveriesPerSecond)}, p50 {Units.Milliseconds(result.P50)}, p99 {Units.Milliseconds(result.P99)}, {Units.Microseconds(result.CpuPerDelivery)} CPU";

    private static Result Summarise(long[] latencies, int clients, int warmup, int messages, TimeSpan serverCpu)
    {
        var measured = new List<long>((messages - warmup) * clients);
        double fanOutTicks = 0;
        for (var m = warmup; m < messages; m++)
        {
            long slowest = 0;
            for (var c = 0; c < clients; c++)
            {
                var latency = latencies[(m * clients) + c];
                if (latency > 0)
                {
                    measured.Add(latency);
                    slowest = Math.Max(slowest, latency);
                }
            }

            fanOutTicks += slowest;
        }

        if (measured.Count == 0)
        {
            throw new InvalidOperationException("No broadcast message arrived.");
        }

        measured.Sort();
        var toMs = 1000.0 / Stopwatch.Frequency;
        return new Result(
            measured.Count / (fanOutTicks / Stopwatch.Frequency),
            measured[(int)(0.50 * (measured.Count - 1))] * toMs,
            measured[(int)(0.99 * (measured.Count - 1))] * toMs,
            serverCpu.TotalSeconds / measured.Count);
    }

    /// <summary>Waits until the server counts <paramref name="expected"/> subscribers, so no run starts with the last one's leftovers.</summary>
    private static async Task WaitForSubscribersAsync(ServerProcess server, int expected)
    {
        var deadline = Stopwatch.StartNew();
        string count;
        while ((count = await server.CommandAsync("subscribers")) != expected.ToString(CultureInfo.InvariantCulture))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"The {server.Side} server has {count} subscribers, expected {expected}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Reads <c>{"seq":N,"sent":T}</c>: the first two integers of the data, in that order.</summary>
    private static bool TryParseTick(ReadOnlySpan<byte> data, out long seq, out long sent)
    {
        sent = 0;
        return TryTakeInteger(ref data, out seq) && TryTakeInteger(ref data, out sent);
    }

    private static bool TryTakeInteger(ref ReadOnlySpan<byte> data, out long value)
    {
        value = 0;
        var start = data.IndexOfAny(IntegerStart);
        if (start < 0)
        {
            return false;
        }

        var negative = data[start] == (byte)'-';
        var i = negative ? start + 1 : start;
        for (; i < data.Length && data[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = (value * 10) + (data[i] - '0');
        }

        value = negative ? -value : value;
        data = data[i..];
        return true;
    }

    /// <param name="CpuPerDelivery">
    /// Server CPU time from the first measured publish to the last delivery (pauses included, in which the server
    /// idles), per delivery: unlike latency, this does not depend on how fast the clients in this process read.
    /// </param>
    private sealed record Result(double DeliveriesPerSecond, double P50, double P99, double CpuPerDelivery);
}
