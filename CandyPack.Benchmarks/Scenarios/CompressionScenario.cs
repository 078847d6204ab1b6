using System.Globalization;
using System.IO.Compression;
using System.Net.ServerSentEvents;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (f) What compression costs and saves on CandyPack, each way read uncompressed and compressed (SSE with gzip and with
/// Brotli, <c>stream.compression</c>; WebSocket with permessage-deflate, <c>websocket.compression</c>): the bytes read
/// from the socket (headers and framing included) and the server's CPU time, per event, for two workloads: the
/// generator, whose events go out in large batches, and channel ticks published one at a time, each flushed alone.
/// The benchmark site turns both options on; a client that asks for no encoding (every other scenario's) gets its
/// stream uncompressed.
/// </summary>
internal static class CompressionScenario
{
    private static readonly Way[] Ways =
    [
        new("SSE", null),
        new("SSE gzip", "gzip"),
        new("SSE Brotli", "br"),
        new("WebSocket", null, WebSocket: true),
        new("WebSocket permessage-deflate", "deflate", WebSocket: true),
    ];

    private static readonly (int Compressed, int Plain)[] Pairs = [(1, 0), (2, 0), (4, 3)];

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var server = await ServerProcess.StartAsync("candy");
        var channel = new TickSubscription(server, "/subscribe", "compression ticks");
        var items = settings.CompressionItems;
        var ticks = settings.CompressionTicks;
        await MeasureAsync(
            $"(f) {items.ToString("N0", CultureInfo.InvariantCulture)}-item generator (large batches)",
            (way, wire) => ReadGeneratorAsync(server, way, items, wire),
            warmups: 2);
        await MeasureAsync(
            $"(f) {ticks.ToString("N0", CultureInfo.InvariantCulture)} channel ticks published one at a time (one event per flush)",
            (way, wire) => ReadTicksAsync(channel, way, ticks, wire),
            warmups: 1);

        async Task MeasureAsync(string workload, Func<Way, ByteCounter, Task<Run?>> read, int warmups)
        {
            var left = new HashSet<Way>();
            var runs = Ways.ToDictionary(w => w, _ => new List<Run>());
            for (var round = -warmups; round < settings.Rounds; round++)
            {
                foreach (var way in Ways.Where(w => !left.Contains(w)))
                {
                    if (await TryReadAsync(way, read, table) is { } run)
                    {
                        if (round >= 0)
                        {
                            runs[way].Add(run);
                        }
                    }
                    else
                    {
                        left.Add(way);
                    }
                }
            }

            Console.Error.WriteLine($"    {workload}: " + string.Join("; ", Ways.Where(w => runs[w].Count > 0).Select(w =>
                $"{w.Name} {Units.Bytes(runs[w][^1].BytesPerEvent)}, {Units.Microseconds(runs[w][^1].CpuSecondsPerEvent)}")));
            foreach (var (compressed, plain) in Pairs.Select(p => (Ways[p.Compressed], Ways[p.Plain])))
            {
                if (runs[compressed].Count > 0 && runs[plain].Count > 0)
                {
                    var name = $"{workload}, {compressed.Name} vs uncompressed {plain.Name}";
                    var bytes = Statistics.MedianRound([.. runs[compressed].Zip(runs[plain], (c, p) => (c.BytesPerEvent, p.BytesPerEvent))]);
                    var cpu = Statistics.MedianRound([.. runs[compressed].Zip(runs[plain], (c, p) => (c.CpuSecondsPerEvent, p.CpuSecondsPerEvent))]);
                    table.Add(new Measurement($"{name}: bytes on the wire per event", bytes.Candy, bytes.Baseline, Units.Bytes));
                    table.Add(new Measurement($"{name}: server CPU per event", cpu.Candy, cpu.Baseline, Units.Microseconds));
                }
            }
        }
    }

    /// <summary>One read; null, with a note, when the server does not do it that way (the option is off, or the transport missing).</summary>
    private static async Task<Run?> TryReadAsync(Way way, Func<Way, ByteCounter, Task<Run?>> read, ResultTable table)
    {
        try
        {
            if (await read(way, new ByteCounter()) is { } run)
            {
                return run;
            }

            table.Note($"(f) {way.Name} left out: the server did not use that encoding (is its option on in the benchmark site's config.json, and does this build have it?).");
        }
        catch (InvalidOperationException e) when (way.WebSocket && e.Message.Contains("instead of 101", StringComparison.Ordinal))
        {
            table.Note($"(f) {way.Name} left out: {e.Message}");
        }

        return null;
    }

    private static async Task<Run?> ReadGeneratorAsync(ServerProcess server, Way way, int items, ByteCounter wire)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var events = 0;
        var cpuBefore = server.CpuTime;
        if (!await ReadAsync(server, string.Create(CultureInfo.InvariantCulture, $"/generator?n={items}"), way, wire, _ => events++, cancel.Token))
        {
            return null;
        }

        var cpu = server.CpuTime - cpuBefore;
        return events == items
            ? new Run((double)wire.Bytes / items, cpu.TotalSeconds / items)
            : throw new InvalidOperationException($"(f) {way.Name}: {events:N0} of {items:N0} generator events arrived.");
    }

    /// <summary>Subscribes to the channel, then publishes <paramref name="ticks"/> ticks, each once the last has arrived.</summary>
    private static async Task<Run?> ReadTicksAsync(TickSubscription channel, Way way, int ticks, ByteCounter wire)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var arrived = new SemaphoreSlim(0);
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = ReadAsync(channel.Server, channel.Path, way, wire, OnItem, cancel.Token);
        if (await Task.WhenAny(opened.Task, reading) == reading && !await reading)
        {
            return null;
        }

        await opened.Task;
        var bytesBefore = wire.Bytes;
        var cpuBefore = channel.Server.CpuTime;
        for (var seq = 0; seq < ticks; seq++)
        {
            await channel.PublishAsync(seq);
            if (!await arrived.WaitAsync(TimeSpan.FromSeconds(15)))
            {
                throw new TimeoutException($"(f) {way.Name}: tick {seq} did not arrive within 15 s.");
            }
        }

        var run = new Run((double)(wire.Bytes - bytesBefore) / ticks, (channel.Server.CpuTime - cpuBefore).TotalSeconds / ticks);
        await cancel.CancelAsync();
        try
        {
            await reading;
        }
        catch (OperationCanceledException)
        {
            // The subscription was ended here, on purpose.
        }

        await channel.WaitForSubscribersAsync(0);
        return run;

        void OnItem(ReadOnlySpan<byte> data)
        {
            if (TickSubscription.TryParseTick(data, out var seq, out _))
            {
                if (seq < 0)
                {
                    opened.TrySetResult();
                }
                else
                {
                    arrived.Release();
                }
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> one way until the server ends it (or <paramref name="cancellationToken"/> fires),
    /// handing each item's data to <paramref name="onItem"/>; false when the server did not agree to the encoding.
    /// </summary>
    private static async Task<bool> ReadAsync(ServerProcess server, string path, Way way, ByteCounter wire, ItemHandler onItem, CancellationToken cancellationToken)
    {
        if (way.WebSocket)
        {
            var deflate = way.Encoding is not null;
            using var invoker = WebSocketCrowd.Invoker(wire);
            using var client = await WebSocketClient.ConnectAsync(
                new Uri($"ws://{server.EndPoint}{path}"),
                invoker,
                0,
                (_, message) =>
                {
                    // Items are {"data":…} messages; named events such as end carry "event".
                    if (message.IndexOf("\"event\""u8) < 0)
                    {
                        onItem(message);
                    }

                    return true;
                },
                deflate,
                greeting: null,
                cancellationToken);
            if (deflate && client.Extensions?.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase) != true)
            {
                return false;
            }

            await client.Completion.WaitAsync(cancellationToken);
            return true;
        }

        using var http = new HttpClient(WebSocketCrowd.Handler(wire)) { BaseAddress = new Uri($"http://{server.EndPoint}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (way.Encoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(way.Encoding);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (!response.Content.Headers.ContentEncoding.SequenceEqual(way.Encoding is null ? [] : [way.Encoding]))
        {
            return false;
        }

        await using var raw = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var body = way.Encoding switch
        {
            "gzip" => new GZipStream(raw, CompressionMode.Decompress),
            "br" => new BrotliStream(raw, CompressionMode.Decompress),
            _ => raw,
        };
        var parser = SseParser.Create(body, (type, data) =>
        {
            if (type == SseParser.EventTypeDefault)
            {
                onItem(data);
            }

            return true;
        });
        await foreach (var _ in parser.EnumerateAsync(cancellationToken))
        {
        }

        return true;
    }

    private delegate void ItemHandler(ReadOnlySpan<byte> data);

    private sealed record Way(string Name, string? Encoding, bool WebSocket = false);

    private sealed record Run(double BytesPerEvent, double CpuSecondsPerEvent);
}
