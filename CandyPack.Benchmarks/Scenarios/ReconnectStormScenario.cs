using System.Diagnostics;
using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (e) A reconnect storm: every subscriber of a channel drops at once (as when a load balancer or a network path
/// fails), messages are published while they are away, and all of them reconnect with the <c>Last-Event-ID</c> of the
/// last message they had, as <c>EventSource</c> does. Measured from the drop until every client is subscribed again
/// and has every missed message: the wall time and the server's CPU time. Plain ASP.NET Core has no history to
/// resume from, so there is no baseline doing the same work; the floor row is the same drop and reconnection of
/// plain subscriptions on the baseline server, with nothing to replay.
/// </summary>
internal static class ReconnectStormScenario
{
    /// <summary>A small storm on each side first, so the resume path is compiled and warm before the measured one.</summary>
    private const int WarmupClients = 200;

    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var clients = settings.StormClients;
        var missed = settings.StormMissedMessages;
        await using var servers = await ServerPair.StartAsync();
        var channel = new TickSubscription(servers.Candy, "/subscribe", "CandyPack (candy.Channel)");
        var plain = new TickSubscription(servers.Baseline, "/subscribe", "ASP.NET Core");
        await StormAsync(channel, WarmupClients, missed, table);
        await StormAsync(plain, WarmupClients, 0, table);

        var candyRounds = new List<Storm>();
        var floorRounds = new List<Storm>();
        for (var round = 0; round < settings.StormRounds; round++)
        {
            candyRounds.Add(await StormAsync(channel, clients, missed, table));
            floorRounds.Add(await StormAsync(plain, clients, 0, table));
            Console.Error.WriteLine($"    round {round + 1}: {channel.Label} {Describe(candyRounds[^1])}; {plain.Label} (floor) {Describe(floorRounds[^1])}");
        }

        // No ratio to judge: each side's round with the median time, and its CPU from the same round.
        var candy = candyRounds.OrderBy(s => s.Time).ElementAt((candyRounds.Count - 1) / 2);
        var floor = floorRounds.OrderBy(s => s.Time).ElementAt((floorRounds.Count - 1) / 2);
        var count = clients.ToString("N0", CultureInfo.InvariantCulture);
        var name = $"(e) reconnect storm: {count} candy.Channel subscribers drop and resume with Last-Event-ID, {missed} missed messages each";
        table.Add(new Measurement($"{name}: time until all are back and caught up", candy.Time.TotalMilliseconds, double.NaN, Units.Milliseconds));
        table.Add(new Measurement($"{name}: server CPU", candy.Cpu.TotalMilliseconds, double.NaN, Units.Milliseconds));
        name = $"(e) floor: {count} plain ASP.NET Core subscriptions drop and reconnect, nothing to replay (no baseline resumes)";
        table.Add(new Measurement($"{name}: time until all are back", double.NaN, floor.Time.TotalMilliseconds, Units.Milliseconds));
        table.Add(new Measurement($"{name}: server CPU", double.NaN, floor.Cpu.TotalMilliseconds, Units.Milliseconds));
    }

    private static string Describe(Storm storm) =>
        $"{Units.Milliseconds(storm.Time.TotalMilliseconds)}, {Units.Milliseconds(storm.Cpu.TotalMilliseconds)} CPU";

    /// <summary>
    /// Subscribes <paramref name="clients"/>, gives each a last id (one message), drops them all, publishes
    /// <paramref name="missed"/> messages and reconnects them with their ids; with none missed, the reconnection ends
    /// when every client has its first event again.
    /// </summary>
    private static async Task<Storm> StormAsync(TickSubscription side, int clients, int missed, ResultTable table)
    {
        var server = side.Server;
        var all = missed == 0 ? 0L : (1L << missed) - 1;
        // Per client: a bit per missed message (seq 1..missed) received after the reconnect.
        var received = new long[clients];
        var firstArrived = 0;
        var caughtUp = 0;
        var duplicates = 0;
        var resets = 0;
        var reconnected = false;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        string?[] ids;
        using (var crowd = await StreamCrowd.OpenAsync(server.EndPoint, side.Path, clients, Receive, 1024, TimeSpan.FromSeconds(180)))
        {
            await side.WaitForSubscribersAsync(clients);
            if (missed > 0)
            {
                await side.PublishAsync(0);
                await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            ids = [.. crowd.Clients.Select(c => c.LastEventId)];
        }

        // The storm starts as the sockets close (the crowd's disposal above is the drop).
        var cpuBefore = server.CpuTime;
        var clock = Stopwatch.StartNew();
        await side.WaitForSubscribersAsync(0, TimeSpan.FromSeconds(60));
        for (var seq = 1; seq <= missed; seq++)
        {
            await side.PublishAsync(seq);
        }

        Volatile.Write(ref reconnected, true);
        using (await StreamCrowd.OpenAsync(server.EndPoint, i => HttpRequests.Resume(server.EndPoint, side.Path, ids[i]), clients, Receive, 1024, TimeSpan.FromSeconds(180)))
        {
            if (missed > 0)
            {
                try
                {
                    await done.Task.WaitAsync(CatchUpTimeout);
                }
                catch (TimeoutException)
                {
                    table.Note($"{side.Label}, reconnect storm of {clients}: {clients - Volatile.Read(ref caughtUp)} clients lacked missed messages after {CatchUpTimeout.TotalSeconds} s.");
                }
            }

            await side.WaitForSubscribersAsync(clients);
            var time = clock.Elapsed;
            var cpu = server.CpuTime - cpuBefore;
            if (duplicates > 0 || resets > 0)
            {
                table.Note($"{side.Label}, reconnect storm of {clients}: {duplicates} messages arrived twice, {resets} clients got a reset.");
            }

            return new Storm(time, cpu);
        }

        void Receive(StreamClient client, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
        {
            if (eventType.SequenceEqual("reset"u8))
            {
                Interlocked.Increment(ref resets);
                return;
            }

            if (!TickSubscription.TryParseTick(data, out var seq, out _) || seq < 0 || seq > missed)
            {
                return;
            }

            if (!Volatile.Read(ref reconnected))
            {
                if (seq == 0 && Interlocked.Increment(ref firstArrived) == clients)
                {
                    first.TrySetResult();
                }

                return;
            }

            if (seq == 0)
            {
                // Given before the drop: the client's Last-Event-ID said it had it.
                Interlocked.Increment(ref duplicates);
                return;
            }

            var bit = 1L << (int)(seq - 1);
            var before = Interlocked.Or(ref received[client.Index], bit);
            if ((before & bit) != 0)
            {
                Interlocked.Increment(ref duplicates);
            }
            else if ((before | bit) == all && Interlocked.Increment(ref caughtUp) == clients)
            {
                done.TrySetResult();
            }
        }
    }

    private sealed record Storm(TimeSpan Time, TimeSpan Cpu);
}
