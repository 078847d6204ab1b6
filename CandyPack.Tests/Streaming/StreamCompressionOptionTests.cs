using System.IO.Compression;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CandyPack.Tests.Support;
using CandyPack.Tests.TestSites.Compressed.Route;

namespace CandyPack.Tests.Streaming;

/// <summary>
/// <c>stream.compression</c>: a site's event streams go out Brotli- or gzip-compressed when the client accepts it,
/// decompress to exactly the events an uncompressed client gets, and each event arrives while the stream is open.
/// </summary>
[TestFixture]
public sealed class StreamCompressionOptionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private CandyServer _on = null!;
    private CandyServer _off = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _on = await CandyServer.StartAsync(TestSite.Create("Compressed", """{ "stream": { "compression": true } }"""));
        _off = await CandyServer.StartAsync(TestSite.Create("Compressed"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _on.DisposeAsync();
        await _off.DisposeAsync();
    }

    [TestCase("gzip")]
    [TestCase("br")]
    public async Task CompressionOn_ClientAcceptsEncoding_DecompressesToTheEventsOfAnUncompressedStreamInFewerBytes(string encoding)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var (plainHeaders, plainBody) = await GetBodyAsync(_on, "/items?n=2000", null, cancel.Token);
        var (headers, body) = await GetBodyAsync(_on, "/items?n=2000", encoding, cancel.Token);

        Assert.That(plainHeaders.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(headers.Content.Headers.ContentEncoding, Is.EqualTo(new[] { encoding }));
        Assert.That(headers.Headers.Vary, Does.Contain("Accept-Encoding"));
        var plainEvents = await ParseAsync(new MemoryStream(plainBody), cancel.Token);
        var events = await ParseAsync(Decompress(new MemoryStream(body), encoding), cancel.Token);
        Assert.That(events, Is.EqualTo(plainEvents));
        Assert.That(events, Has.Count.EqualTo(2001));
        Assert.That(events[1999], Is.EqualTo(("message", """{"id":1999,"name":"item","tags":["compressed","stream"]}""")));
        Assert.That(events[^1].Type, Is.EqualTo("end"));
        Assert.That(body, Has.Length.LessThan(plainBody.Length / 4), "compressed bytes against the uncompressed stream's");
    }

    [TestCase("gzip")]
    [TestCase("br")]
    public async Task CompressionOn_EachEventArrivesBeforeTheNextIsSent_AndTheCompressedBodyEndsCleanly(string encoding)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var key = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/held?key=" + key);
        request.Headers.AcceptEncoding.ParseAdd(encoding);
        using var response = await _on.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { encoding }));
        await using var body = Decompress(await response.Content.ReadAsStreamAsync(cancel.Token), encoding);
        await using var events = SseParser.Create(body).EnumerateAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.That(await events.MoveNextAsync(), Is.True);
        Assert.That(events.Current.Data, Is.EqualTo("open"));
        var stream = Www.Held[key];
        for (var n = 1; n <= 5; n++)
        {
            // The next event is sent only once this one has been read: an event held back in the compressor hangs here.
            Assert.That(stream.Send(new { n }), Is.True);
            Assert.That(await events.MoveNextAsync(), Is.True, $"event {n}");
            Assert.That(events.Current.Data, Is.EqualTo($$"""{"n":{{n}}}"""));
        }

        stream.Close();
        Assert.That(await events.MoveNextAsync(), Is.True);
        Assert.That(events.Current.EventType, Is.EqualTo("end"));
        Assert.That(await events.MoveNextAsync(), Is.False, "the compressed body ends after end");
    }

    [Test]
    public async Task CompressionOn_ClientWithoutAcceptEncoding_GetsPlainEvents()
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var (response, body) = await GetBodyAsync(_on, "/items?n=3", null, cancel.Token);

        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That((await ParseAsync(new MemoryStream(body), cancel.Token)).Select(e => e.Type), Is.EqualTo(new[] { "message", "message", "message", "end" }));
    }

    [Test]
    public async Task CompressionOff_ClientAcceptsGzip_GetsPlainEvents()
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var (response, body) = await GetBodyAsync(_off, "/items?n=3", "gzip, br", cancel.Token);

        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(await ParseAsync(new MemoryStream(body), cancel.Token), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task CompressionOn_RegularResponse_IsNotCompressed()
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var (response, body) = await GetBodyAsync(_on, "/json", "gzip, br", cancel.Token);

        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("text").GetString(), Has.Length.EqualTo(2000));
    }

    [Test]
    public async Task CompressionOn_WebSocketUpgradeThatAcceptsGzip_IsUpgradedAndGetsPlainTextFrames()
    {
        using var cancel = new CancellationTokenSource(Deadline);
        using var socket = new ClientWebSocket();
        // Browsers send Accept-Encoding with the upgrade request too; it must not turn the upgrade into a compressed event stream.
        socket.Options.SetRequestHeader("Accept-Encoding", "gzip, br");
        var key = Guid.NewGuid().ToString("N");
        await socket.ConnectAsync(new UriBuilder(new Uri(_on.Address, "/held?key=" + key)) { Scheme = "ws" }.Uri, cancel.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, cancel.Token);

        Assert.That(received.MessageType, Is.EqualTo(WebSocketMessageType.Text));
        Assert.That(Encoding.UTF8.GetString(buffer, 0, received.Count), Is.EqualTo("""{"data":"open"}"""));
        Www.Held[key].Close();
    }

    /// <summary>The response and its body bytes exactly as they came over the wire (this client decompresses nothing itself).</summary>
    private static async Task<(HttpResponseMessage Response, byte[] Body)> GetBodyAsync(CandyServer server, string path, string? acceptEncoding, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }

        var response = await server.Client.SendAsync(request, cancellationToken);
        return (response, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    private static Stream Decompress(Stream compressed, string encoding) => encoding switch
    {
        "gzip" => new GZipStream(compressed, CompressionMode.Decompress),
        "br" => new BrotliStream(compressed, CompressionMode.Decompress),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "gzip or br"),
    };

    private static async Task<List<(string Type, string Data)>> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        var events = new List<(string, string)>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            events.Add((item.EventType, item.Data));
        }

        return events;
    }
}
