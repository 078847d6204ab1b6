using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.ServerSentEvents;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (f) What compression costs and saves: one client reads the generator from CandyPack uncompressed and compressed
/// (SSE with gzip and with Brotli, <c>stream.compression</c>; WebSocket with permessage-deflate,
/// <c>websocket.compression</c>), counting the bytes read from the socket (headers and framing included) and the
/// server's CPU time, each per event. The benchmark site turns both options on; a client that asks for no encoding
/// (every other scenario's) gets the stream uncompressed.
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

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var server = await ServerProcess.StartAsync("candy");
        var items = settings.CompressionItems;
        var left = new HashSet<Way>();
        for (var warmup = 0; warmup < 2; warmup++)
        {
            foreach (var way in Ways.Where(w => !left.Contains(w)))
            {
                if (await TryReadAsync(server, way, items, table) is null)
                {
                    left.Add(way);
                }
            }
        }

        var runs = Ways.ToDictionary(w => w, _ => new List<Run>());
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var way in Ways.Where(w => !left.Contains(w)))
            {
                runs[way].Add(await TryReadAsync(server, way, items, table) ?? throw new InvalidOperationException($"{way.Name} stopped working after the warm-up."));
            }

            Console.Error.WriteLine($"    round {round + 1}: " + string.Join("; ", Ways.Where(w => !left.Contains(w)).Select(w =>
                $"{w.Name} {Units.Bytes(runs[w][^1].BytesPerEvent)}, {Units.Microseconds(runs[w][^1].CpuSecondsPerEvent)}")));
        }

        var count = items.ToString("N0", CultureInfo.InvariantCulture);
        foreach (var (compressed, plain) in new[] { (Ways[1], Ways[0]), (Ways[2], Ways[0]), (Ways[4], Ways[3]) })
        {
            if (left.Contains(compressed) || left.Contains(plain))
            {
                continue;
            }

            var name = $"(f) {count}-item generator, {compressed.Name} vs uncompressed {plain.Name}";
            var bytes = Statistics.MedianRound([.. runs[compressed].Zip(runs[plain], (c, p) => (c.BytesPerEvent, p.BytesPerEvent))]);
            var cpu = Statistics.MedianRound([.. runs[compressed].Zip(runs[plain], (c, p) => (c.CpuSecondsPerEvent, p.CpuSecondsPerEvent))]);
            table.Add(new Measurement($"{name}: bytes on the wire per event", bytes.Candy, bytes.Baseline, Units.Bytes));
            table.Add(new Measurement($"{name}: server CPU per event", cpu.Candy, cpu.Baseline, Units.Microseconds));
        }
    }

    /// <summary>Reads the whole generator one way; null, with a note, when the server does not do it that way.</summary>
    private static async Task<Run?> TryReadAsync(ServerProcess server, Way way, int items, ResultTable table)
    {
        var wire = new ByteCounter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var path = string.Create(CultureInfo.InvariantCulture, $"/generator?n={items}");
        var cpuBefore = server.CpuTime;
        int? events;
        try
        {
            events = way.WebSocket
                ? await ReadWebSocketAsync(server, path, way, wire, cancel.Token)
                : await ReadEventStreamAsync(server, path, way, wire, cancel.Token);
        }
        catch (InvalidOperationException e) when (way.WebSocket && e.Message.Contains("instead of 101", StringComparison.Ordinal))
        {
            table.Note($"(f) {way.Name} left out: {e.Message}");
            return null;
        }

        var cpu = server.CpuTime - cpuBefore;
        if (events is null)
        {
            table.Note($"(f) {way.Name} left out: the server did not use that encoding (is its option on in the benchmark site's config.json, and does this build have it?).");
            return null;
        }

        return events == items
            ? new Run((double)wire.Bytes / items, cpu.TotalSeconds / items)
            : throw new InvalidOperationException($"(f) {way.Name}: {events:N0} of {items:N0} events arrived.");
    }

    /// <summary>The number of message events, or null when the response did not come in the encoding asked for.</summary>
    private static async Task<int?> ReadEventStreamAsync(ServerProcess server, string path, Way way, ByteCounter wire, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(WebSocketCrowd.Handler(wire)) { BaseAddress = new Uri($"http://{server.EndPoint}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (way.Encoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(way.Encoding);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (!response.Content.Headers.ContentEncoding.SequenceEqual(way.Encoding is null ? [] : [way.Encoding]))
        {
            return null;
        }

        await using var raw = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var body = way.Encoding switch
        {
            "gzip" => new GZipStream(raw, CompressionMode.Decompress),
            "br" => new BrotliStream(raw, CompressionMode.Decompress),
            _ => raw,
        };
        var events = 0;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == SseParser.EventTypeDefault)
            {
                events++;
            }
        }

        return events;
    }

    /// <summary>The number of item messages, or null when permessage-deflate was asked for and not agreed.</summary>
    private static async Task<int?> ReadWebSocketAsync(ServerProcess server, string path, Way way, ByteCounter wire, CancellationToken cancellationToken)
    {
        var deflate = way.Encoding is not null;
        var events = 0;
        using var invoker = WebSocketCrowd.Invoker(wire);
        using var client = await WebSocketClient.ConnectAsync(new Uri($"ws://{server.EndPoint}{path}"), invoker, 0, Count, deflate, greeting: null, cancellationToken);
        if (deflate && client.Extensions?.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        await client.Completion.WaitAsync(cancellationToken);
        return events;

        bool Count(WebSocketClient socket, ReadOnlySpan<byte> message)
        {
            if (message.IndexOf("\"event\""u8) < 0)
            {
                events++;
            }

            return true;
        }
    }

    private sealed record Way(string Name, string? Encoding, bool WebSocket = false);

    private sealed record Run(double BytesPerEvent, double CpuSecondsPerEvent);
}
