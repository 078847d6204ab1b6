using System.Diagnostics;
using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (b) One message pushed to every subscriber, five ways: CandyPack's <c>candy.Channel(...).Publish</c> (how users
/// broadcast) over SSE and over WebSocket, CandyPack's <c>Send</c> on each subscriber's handle, the plain ASP.NET Core
/// SSE baseline, and a SignalR hub's <c>Clients.All.SendAsync</c> (SignalR's JSON protocol over WebSocket). The server
/// stamps each message with its publish time; every client subtracts that from the time the bytes reached it.
/// Messages go one at a time: the next is published once every client has the last, so a message's fan-out time is
/// its slowest delivery and nothing queues behind it. deliveries/s = deliveries ÷ the sum of the fan-out times. Each
/// client count runs several rounds, rotating which side goes first; each figure is reported from the round with the
/// median ratio to the baseline of the same round.
/// </summary>
internal static class BroadcastScenario
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Quiet time between messages, so one message's aftermath (GC, flushes) does not land on the next.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var servers = await ServerPair.StartAsync(settings.Redis);
        await using var signalR = await ServerProcess.StartAsync("signalr");
        if (settings.Redis is not null)
        {
            table.Note($"(b) CandyPack's site shares its channels through Redis at {settings.Redis}: each candy.Channel publish is appended to Redis and reaches subscribers through its pub/sub.");
        }

        var channel = new TickSubscription(servers.Candy, "/subscribe", "CandyPack (candy.Channel)");
        var handles = new TickSubscription(servers.Candy, "/subscribe/handles", "CandyPack (Send on each handle)");
        var baseline = new TickSubscription(servers.Baseline, "/subscribe", "ASP.NET Core");
        var channelWs = new TickSubscription(servers.Candy, "/subscribe", "CandyPack (candy.Channel, WebSocket)", TickTransport.WebSocket);
        var hub = new TickSubscription(signalR, "/hub", "SignalR hub", TickTransport.SignalR);
        TickSubscription[] sides = [channel, handles, baseline, channelWs, hub];
        var unavailable = new HashSet<TickSubscription>();
        foreach (var clients in settings.BroadcastClients)
        {
            var rounds = new List<Dictionary<TickSubscription, Result>>();
            for (var round = 0; round < settings.Rounds; round++)
            {
                // Rotating which side goes first spreads drift in the machine's other load over all of them.
                var results = new Dictionary<TickSubscription, Result>();
                for (var i = 0; i < sides.Length; i++)
                {
                    var side = sides[(round + i) % sides.Length];
                    results[side] = unavailable.Contains(side) ? Result.None : await MeasureOrSkipAsync(side, clients, settings, table, unavailable);
                }

                rounds.Add(results);
                Console.Error.WriteLine($"    {clients} clients, round {round + 1}: " + string.Join("; ", sides.Select(s => $"{s.Label} {Describe(results[s])}")));
            }

            var judged = clients == 10_000;
            var count = clients.ToString("N0", CultureInfo.InvariantCulture);
            var name = $"(b) broadcast to {count} clients, candy.Channel";
            Add(channel, baseline, $"{name}: deliveries/s", r => r.DeliveriesPerSecond, Units.PerSecond, judged ? Target.RatioAtLeast(1.5) : null);
            Add(channel, baseline, $"{name}: server CPU per delivery", r => r.CpuPerDelivery, Units.Microseconds, judged ? Target.RatioAtMost(0.6) : null);
            Add(channel, baseline, $"{name}: p50 latency", r => r.P50, Units.Milliseconds, null);
            Add(channel, baseline, $"{name}: p99 latency", r => r.P99, Units.Milliseconds, judged ? Target.Below(50, "50 ms") : null);
            name = $"(b) broadcast to {count} clients, Send on each handle";
            Add(handles, baseline, $"{name}: deliveries/s", r => r.DeliveriesPerSecond, Units.PerSecond, null);
            Add(handles, baseline, $"{name}: server CPU per delivery", r => r.CpuPerDelivery, Units.Microseconds, null);
            Add(handles, baseline, $"{name}: p99 latency", r => r.P99, Units.Milliseconds, null);
            name = $"(b) broadcast to {count} clients over WebSocket, candy.Channel vs a SignalR hub (Clients.All.SendAsync)";
            Add(channelWs, hub, $"{name}: deliveries/s", r => r.DeliveriesPerSecond, Units.PerSecond, Target.RatioAtLeast(2.0));
            Add(channelWs, hub, $"{name}: server CPU per delivery", r => r.CpuPerDelivery, Units.Microseconds, null);
            Add(channelWs, hub, $"{name}: p50 latency", r => r.P50, Units.Milliseconds, null);
            Add(channelWs, hub, $"{name}: p99 latency", r => r.P99, Units.Milliseconds, Target.RatioBelow(1.0));
            name = $"(b) broadcast to {count} clients, candy.Channel over WebSocket vs over SSE";
            Add(channelWs, channel, $"{name}: deliveries/s", r => r.DeliveriesPerSecond, Units.PerSecond, Target.RatioAtLeast(0.9));
            Add(channelWs, channel, $"{name}: server CPU per delivery", r => r.CpuPerDelivery, Units.Microseconds, Target.RatioAtMost(1.1));
            Add(channelWs, channel, $"{name}: p99 latency", r => r.P99, Units.Milliseconds, Target.RatioAtMost(1.1));

            void Add(TickSubscription candy, TickSubscription against, string figure, Func<Result, double> value, Func<double, string> format, Target? target)
            {
                if (unavailable.Contains(candy) || unavailable.Contains(against))
                {
                    return;
                }

                var round = Statistics.MedianRound([.. rounds.Select(r => (value(r[candy]), value(r[against])))]);
                table.Add(new Measurement(figure, round.Candy, round.Baseline, format, target));
            }
        }
    }

    /// <summary>
    /// A side that cannot subscribe at all (a server without the WebSocket transport answers the upgrade with its event
    /// stream) is noted and left out of the table, so the other sides' figures still come.
    /// </summary>
    private static async Task<Result> MeasureOrSkipAsync(TickSubscription side, int clients, BenchSettings settings, ResultTable table, HashSet<TickSubscription> unavailable)
    {
        try
        {
            return await MeasureAsync(side, clients, settings, table);
        }
        catch (InvalidOperationException e) when (side.Transport != TickTransport.Sse && e.Message.Contains("instead of 101", StringComparison.Ordinal))
        {
            unavailable.Add(side);
            table.Note($"{side.Label}: left out, its clients could not subscribe: {e.Message}");
            await side.WaitForSubscribersAsync(0);
            return Result.None;
        }
    }

    private static async Task<Result> MeasureAsync(TickSubscription side, int clients, BenchSettings settings, ResultTable table)
    {
        var warmup = settings.BroadcastWarmupMessages;
        var messages = warmup + settings.BroadcastMessages;
        // Latency of message m at client c, in Stopwatch ticks; 0 = never arrived.
        var latencies = new long[messages * clients];
        var remaining = Enumerable.Repeat(clients, messages).ToArray();
        var delivered = Enumerable.Range(0, messages).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        var cpuBefore = TimeSpan.Zero;
        var cpuAfter = TimeSpan.Zero;
        var server = side.Server;
        using (await side.SubscribeAsync(clients, Receive, TimeSpan.FromSeconds(180)))
        {
            await side.WaitForSubscribersAsync(clients);
            for (var m = 0; m < messages; m++)
            {
                if (m == warmup)
                {
                    cpuBefore = server.CpuTime;
                }

                var accepted = await side.PublishAsync(m);
                if (accepted != clients)
                {
                    table.Note($"{side.Label}, {clients} clients: message {m} went to {accepted} subscribers.");
                }

                try
                {
                    await delivered[m].Task.WaitAsync(DeliveryTimeout);
                }
                catch (TimeoutException)
                {
                    table.Note($"{side.Label}, {clients} clients: message {m} reached {clients - Volatile.Read(ref remaining[m])} clients within {DeliveryTimeout.TotalSeconds} s.");
                }

                await Task.Delay(Pause);
            }

            cpuAfter = server.CpuTime;
        }

        await side.WaitForSubscribersAsync(0);
        return Summarise(latencies, clients, warmup, messages, cpuAfter - cpuBefore);

        void Receive(int client, long receivedAt, long seq, long sent)
        {
            if (seq < 0 || seq >= messages)
            {
                // The subscription's first event (seq -1); not a delivery.
                return;
            }

            latencies[(seq * clients) + client] = receivedAt - sent;
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

    /// <param name="CpuPerDelivery">
    /// Server CPU time from the first measured publish to the last delivery (pauses included, in which the server
    /// idles), per delivery: unlike latency, this does not depend on how fast the clients in this process read.
    /// </param>
    private sealed record Result(double DeliveriesPerSecond, double P50, double P99, double CpuPerDelivery)
    {
        /// <summary>The figures of a side that could not be measured.</summary>
        public static Result None { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN);
    }
}
