using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.WebSockets;

/// <summary>Every input form of candy.Stream, upgraded to a WebSocket: the same handler, the same messages as over Server-Sent Events.</summary>
[TestFixture]
public sealed class WebSocketStreamFormsTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _server = await CandyServer.StartAsync(TestSite.Create("Streams", """{ "stream": { "retry": 1500 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/string")]
    [TestCase("/payload/lf")]
    [TestCase("/payload/empty")]
    [TestCase("/payload/null")]
    [TestCase("/payload/unicode")]
    [TestCase("/payload/big")]
    [TestCase("/object")]
    [TestCase("/array")]
    [TestCase("/list-of-objects")]
    [TestCase("/dictionary")]
    [TestCase("/dispatch/list")]
    [TestCase("/dispatch/generator")]
    [TestCase("/generator")]
    [TestCase("/generator/method-group")]
    [TestCase("/generator/throws")]
    [TestCase("/task")]
    [TestCase("/task/delayed")]
    [TestCase("/task/fault")]
    [TestCase("/valuetask")]
    [TestCase("/file/trickle")]
    [TestCase("/textreader")]
    [TestCase("/pipereader")]
    [TestCase("/channel")]
    [TestCase("/callback/async")]
    [TestCase("/cleanup?close=1")]
    [TestCase("/handle")]
    [TestCase("/handle/error")]
    public async Task Stream_OverWebSocket_SendsWhatServerSentEventsSend_ThenEndAndNormalClosure(string path)
    {
        using var response = await _server.OpenStreamAsync(path);
        var overSse = (await SseReader.ReadAllAsync(response)).Where(e => e.EventType != "end").Select(Describe).ToList();

        await using var socket = await WebSocketListener.ReadAllAsync(_server.Address, path);
        var frames = socket.Frames.Where(f => !f.Root.TryGetProperty("retry", out _)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(frames.SkipLast(1).Select(Describe), Is.EqualTo(overSse), "the same messages, event names and ids");
            Assert.That(frames[^1].Text, Is.EqualTo("""{"event":"end"}"""));
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(frames.Select(f => f.Type), Has.All.EqualTo(WebSocketMessageType.Text));
        });
    }

    [Test]
    public async Task Frames_AreOneJsonObjectPerMessage_WithEventAndIdOnlyWhenPresent()
    {
        await using var socket = await WebSocketListener.ReadAllAsync(_server.Address, "/handle");

        Assert.That(socket.Frames.Select(f => f.Text), Is.EqualTo(new[]
        {
            """{"retry":1500}""",
            """{"data":"a"}""",
            """{"data":{"b":1},"event":"custom","id":"7"}""",
            """{"data":"c","id":"8"}""",
            """{"event":"end"}""",
        }));
    }

    [Test]
    public async Task Error_IsTheErrorMessageOfServerSentEvents()
    {
        await using var socket = await WebSocketListener.ReadAllAsync(_server.Address, "/handle/error");

        Assert.That(socket.Frames.Select(f => f.Text), Does.Contain("""{"data":{"error":"boom"}}"""));
    }

    /// <summary>An SSE event as (event, id, data), with data as text: the form both transports can be compared in.</summary>
    private static string Describe(SseItem<string> item) => $"{item.EventType}|{item.EventId}|{item.Data}";

    private static string Describe(WebSocketFrame frame) =>
        $"{frame.Event ?? "message"}|{frame.Id}|{frame.DataText}";
}
