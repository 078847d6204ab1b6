using System.Globalization;
using CandyPack.Tests.Support;
using CandyPack.Tests.TestSites.DirectWrite.Route;

namespace CandyPack.Tests.Streaming;

/// <summary>
/// <c>Send</c> of objects, which are serialised to JSON, is bounded by <c>stream.queueBytes</c> like strings and channel
/// messages: a client that stops reading is cut as a slow consumer after about that many bytes, long before
/// <c>stream.queue</c> messages of it are held.
/// </summary>
[TestFixture]
public sealed class StreamSendBytesTests
{
    private const int QueueBytes = 256 * 1024;
    private const int ObjectSize = 16 * 1024;

    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "DirectWrite",
        $$"""{ "stream": { "queue": 1024, "queueBytes": {{QueueBytes}}, "heartbeat": 0, "writeTimeout": 0 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("sse")]
    [TestCase("websocket")]
    public async Task SendingLargeObjects_ToAClientThatNeverReads_IsCutAfterAboutQueueBytes(string transport)
    {
        var key = Probe.NewKey();
        using var client = transport == "sse"
            ? await RawHttp.OpenAsync(_server.Address, $"/held?key={key}", receiveBuffer: 4096)
            : await RawWebSocket.OpenAndFreezeAsync(_server.Address, $"/held?key={key}", receiveBuffer: 4096);
        Assert.That(await Eventually.TrueAsync(() => Www.Held.ContainsKey(key)), Is.True, "the stream did not open");

        var accepted = int.Parse(await _server.Client.GetStringAsync($"/held/flood?key={key}&size={ObjectSize}"), CultureInfo.InvariantCulture);

        // Objects of a little over 16 KiB as JSON: 15 fill stream.queueBytes (256 KiB), and a few more may sit in Kestrel's
        // and the socket's buffers (stream.sendBuffer); without the byte bound, stream.queue (1,024) of them were held.
        Assert.That(accepted, Is.InRange(QueueBytes / (ObjectSize + 64), 128), "objects accepted before the client that reads nothing was cut");
        Assert.That(Www.Held[key].IsOpen, Is.False, "cut as a slow consumer, not only refused one message");
    }

    [Test]
    public async Task QueuedObjects_AreWrittenAsTheyWereBefore_AndOneThatCannotBeSerialised_BecomesAnErrorMessage_Sse()
    {
        using var response = await _server.OpenStreamAsync("/queued-objects");
        var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

        // Server-Sent Events keep the site's encoder (the web default escapes non-ASCII and HTML characters).
        Assert.That(messages, Has.Count.EqualTo(3));
        Assert.That(messages[0], Is.EqualTo("""{"n":1}"""));
        Assert.That(messages[1], Does.StartWith("""{"error":"A message of type RuntimeType could not be serialised: """));
        Assert.That(messages[2], Is.EqualTo("""{"n":2,"text":"\u00E9\u003C"}"""));
    }

    [Test]
    public async Task QueuedObjects_AreWrittenAsTheyWereBefore_AndOneThatCannotBeSerialised_BecomesAnErrorMessage_WebSocket()
    {
        await using var listener = await WebSocketListener.ReadAllAsync(_server.Address, "/queued-objects");
        var messages = listener.Frames.Where(f => f.HasData).Select(f => f.Data.GetRawText()).ToList();

        // A WebSocket frame escapes only what JSON requires, as before.
        Assert.That(messages, Has.Count.EqualTo(3), WebSocketListener.Describe(listener.Frames));
        Assert.That(messages[0], Is.EqualTo("""{"n":1}"""));
        Assert.That(messages[1], Does.StartWith("""{"error":"A message of type RuntimeType could not be serialised: """));
        Assert.That(messages[2], Is.EqualTo("""{"n":2,"text":"é<"}"""));
    }
}
