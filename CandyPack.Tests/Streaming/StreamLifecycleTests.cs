using System.Net;
using System.Net.Sockets;
using System.Text;
using CandyPack.Tests.Support;
using CandyPack.Tests.TestSites.Streams.Route;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.Streaming;

/// <summary>How streams live and end: disconnects, cleanups, slow consumers, heartbeats and timeouts.</summary>
[TestFixture]
public sealed class StreamLifecycleTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "Streams",
        """{ "stream": { "heartbeat": 0.2, "queue": 32 }, "request": { "timeout": 0.5 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Stream_ClientDisconnectsMidGenerator_GeneratorIsCancelledAndItsFinallyRuns()
    {
        var key = Probe.NewKey();
        using (var response = await _server.OpenStreamAsync($"/generator/endless?key={key}"))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var first = await SseReader.ReadAsync(body, 3);
            Assert.That(first.Select(e => e.Data), Is.EqualTo(new[] { "0", "1", "2" }));
        }

        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "cancelled-finally") == 1), Is.True, "the generator's finally did not run with its token cancelled");
        Assert.That(Probe.Count(key, "finally"), Is.Zero);
    }

    [Test]
    public async Task Cleanup_RunsExactlyOnce_WhenTheClientLeaves()
    {
        var key = Probe.NewKey();
        using (var response = await _server.OpenStreamAsync($"/cleanup?key={key}"))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.That((await SseReader.ReadAsync(body, 1)).Single().Data, Is.EqualTo("hi"));
        }

        // The stream has finished closing once Completion is done: a second run of the cleanup would have happened by then.
        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "completed") == 1), Is.True);
        Assert.That(Probe.Count(key, "cleanup"), Is.EqualTo(1));
    }

    [Test]
    public async Task Cleanup_RunsExactlyOnce_WhenTheProducerCloses()
    {
        var key = Probe.NewKey();
        using var response = await _server.OpenStreamAsync($"/cleanup?key={key}&close=1");
        var events = await SseReader.ReadAllAsync(response);

        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "message", "end" }));
        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "cleanup") == 1), Is.True);
    }

    [Test]
    public async Task CloseHandlers_RunExactlyOnce_WhenClientAndProducerRace()
    {
        var keys = Enumerable.Range(0, 40).Select(_ => Probe.NewKey()).ToList();
        await Task.WhenAll(keys.Select(async key =>
        {
            using var response = await _server.OpenStreamAsync($"/race?key={key}");
            await using var body = await response.Content.ReadAsStreamAsync();
            await SseReader.ReadAsync(body, 1);

            // Leave at about the moment the producer closes.
        }));

        Assert.That(await Eventually.TrueAsync(() => keys.All(k => Probe.Count(k, "completed") == 1)), Is.True);
        Assert.That(keys.Select(k => Probe.Count(k, "cleanup")), Is.All.EqualTo(1));
    }

    [Test]
    public async Task HandleCloseNotifications_AllFireOnce_WhenClientLeaves()
    {
        var key = Probe.NewKey();
        using (var response = await _server.OpenStreamAsync($"/handle/open?key={key}"))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.That((await SseReader.ReadAsync(body, 1)).Single().Data, Is.EqualTo("ready"));
        }

        Assert.That(await Eventually.TrueAsync(() => Probe.Count(key, "on-close") == 1 && Probe.Count(key, "closed-event") == 1 && Probe.Count(key, "token") == 1), Is.True);
    }

    [Test]
    public async Task Heartbeat_IsSentOnAnIdleStream()
    {
        var key = Probe.NewKey();
        using var socket = await RawHttp.OpenAsync(_server.Address, $"/idle?key={key}");
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!received.ToString().Contains(": heartbeat\n\n", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, deadline.Token);
            Assert.That(n, Is.Positive, "the server closed an idle stream");
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        Assert.That(received.ToString(), Does.StartWith("HTTP/1.1 200 OK"));
    }

    [Test]
    public async Task SlowReader_IsDisconnectedAndLogged_WhileANormalReaderGetsEverything()
    {
        using var slow = await RawHttp.OpenAsync(_server.Address, "/push/fast", receiveBuffer: 4096);

        using var response = await _server.OpenStreamAsync("/generator/two-thousand");
        var normal = SseReader.Messages(await SseReader.ReadAllAsync(response));

        Assert.That(normal, Is.EqualTo(Enumerable.Range(1, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(await Eventually.TrueAsync(() => _server.Logs.Contains(LogLevel.Warning, "slow consumer")), Is.True);
        Assert.That(await Eventually.TrueAsync(() => IsClosedByServer(slow)), Is.True, "the slow reader's connection stayed open");
    }

    [Test]
    public async Task Stream_IsExemptFromTheRequestTimeout()
    {
        using var response = await _server.OpenStreamAsync("/slow-controller-stream");
        var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(messages, Is.EqualTo(new[] { "after the timeout" }));
    }

    [Test]
    public async Task Generator_IsPulledOnlyAsFastAsTheClientReads()
    {
        // A million items cannot all be produced while the client has read only a few: the queue is bounded.
        var key = Probe.NewKey();
        using var socket = await RawHttp.OpenAsync(_server.Address, $"/generator/counted?key={key}", receiveBuffer: 4096);
        var buffer = new byte[64];
        Assert.That(await socket.ReceiveAsync(buffer), Is.Positive);
        Assert.That(await Eventually.TrueAsync(() => Www.Held.ContainsKey(key)), Is.True, "the stream did not open");
        var stream = Www.Held[key];

        // The client reads nothing more: the stream's queue (stream.queue is 32) fills, and its writer waits for the client.
        Assert.That(await Eventually.TrueAsync(() => stream.Queued == 32 && stream.WaitsForClient), Is.True, $"the queue holds {stream.Queued}; the generator made {Probe.Count(key, "produced")}");
        // The three counts are read one after another while an item may still move between them: read until one reading
        // holds still. A generator pulled ahead of the queue never gives such a reading. The queue may also hold a
        // heartbeat or two (every 0.2 s here) that the generator did not make, so fewer made than held is no fault.
        var (produced, written, queued) = (0, 0L, 0);
        var accounted = await Eventually.TrueAsync(() =>
        {
            (written, queued, produced) = (stream.Written, stream.Queued, Probe.Count(key, "produced"));
            return produced - written - queued <= 1;
        });
        Assert.Multiple(() =>
        {
            Assert.That(produced, Is.LessThan(1_000_000), "the generator ran to its end while the client read nothing");
            Assert.That(accounted, Is.True, $"{produced} made, {written} written, {queued} queued: only the item waiting for room is held beyond the queue");
        });
    }

    [Test]
    public async Task HandlerThatThrowsAfterItsClientLeft_IsAwaited_Logged_AndItsRequestEndsAfterItsStream()
    {
        var key = Probe.NewKey();
        using (var response = await _server.OpenStreamAsync($"/handle/throws-after-client-left?key={key}"))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.That((await SseReader.ReadAsync(body, 1)).Single().Data, Is.EqualTo("ready"));
        }

        // The handler has thrown, and its failure is logged, while the stream's close handler still runs.
        Assert.That(
            await Eventually.TrueAsync(() => Probe.Count(key, "thrown") == 1 && Probe.Count(key, "cleanup-entered") == 1 && _server.Logs.Contains(LogLevel.Error, key)),
            Is.True,
            $"thrown {Probe.Count(key, "thrown")}, cleanup {Probe.Count(key, "cleanup-entered")}, logged {_server.Logs.Contains(LogLevel.Error, key)}");
        Www.Gates[key].Set();

        Assert.That(
            await Eventually.TrueAsync(() => Probe.Count(key, "request-ended-after-cleanup") + Probe.Count(key, "request-ended-before-cleanup") == 1),
            Is.True,
            "the request did not end");
        Assert.Multiple(() =>
        {
            Assert.That(Probe.Count(key, "request-ended-after-cleanup"), Is.EqualTo(1), "the request ended before its stream had finished closing");
            Assert.That(_server.Logs.Entries.Count(e => e.Level >= LogLevel.Error && e.Message.Contains(key, StringComparison.Ordinal)), Is.EqualTo(1), "the failure is logged once");
        });
    }

    private static bool IsClosedByServer(Socket socket)
    {
        try
        {
            // Drain what the server had sent; a zero-byte read (or a reset) means it closed the connection.
            var buffer = new byte[256 * 1024];
            while (socket.Poll(0, SelectMode.SelectRead))
            {
                if (socket.Receive(buffer) == 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
