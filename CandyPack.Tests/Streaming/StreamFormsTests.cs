using System.Net;
using System.Text.Json;
using CandyPack.Tests.Support;
using CandyPack.Tests.TestSites.Streams.Route;

namespace CandyPack.Tests.Streaming;

/// <summary>Every input form of candy.Stream and the wire format, read back with the runtime's SSE parser.</summary>
[TestFixture]
public sealed class StreamFormsTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _server = await CandyServer.StartAsync(TestSite.Create("Streams", """{ "stream": { "retry": 1500 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<List<System.Net.ServerSentEvents.SseItem<string>>> EventsAsync(string path)
    {
        using var response = await _server.OpenStreamAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await SseReader.ReadAllAsync(response);
    }

    private async Task<List<string>> MessagesAsync(string path) => SseReader.Messages(await EventsAsync(path));

    [Test]
    public async Task Stream_String_IsOneMessage_NotOnePerCharacter()
    {
        Assert.That(await MessagesAsync("/string"), Is.EqualTo(new[] { "Hello World" }));
    }

    [Test]
    public async Task Stream_FiniteStream_EndsWithEndEvent()
    {
        var events = await EventsAsync("/string");

        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "message", "end" }));
        Assert.That(events[^1].Data, Is.Empty);
    }

    [TestCase("/payload/lf")]
    [TestCase("/payload/crlf")]
    [TestCase("/payload/cr")]
    public async Task Stream_MultiLinePayload_ArrivesWhole(string path)
    {
        Assert.That(await MessagesAsync(path), Is.EqualTo(new[] { "line1\nline2" }));
    }

    [Test]
    public async Task Stream_TrailingNewline_IsKept()
    {
        Assert.That(await MessagesAsync("/payload/trailing"), Is.EqualTo(new[] { "line1\n" }));
    }

    [Test]
    public async Task Stream_EmptyString_IsOneEmptyMessage()
    {
        Assert.That(await MessagesAsync("/payload/empty"), Is.EqualTo(new[] { string.Empty }));
    }

    [Test]
    public async Task Stream_Null_IsJsonNull()
    {
        Assert.That(await MessagesAsync("/payload/null"), Is.EqualTo(new[] { "null" }));
    }

    [Test]
    public async Task Stream_UnicodeAndEmoji_ArriveIntact()
    {
        Assert.That(await MessagesAsync("/payload/unicode"), Is.EqualTo(new[] { Www.Emoji }));
    }

    [Test]
    public async Task Stream_OneMegabyteMessage_ArrivesWhole()
    {
        var messages = await MessagesAsync("/payload/big");

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0], Is.EqualTo(Www.Big));
    }

    [Test]
    public async Task Stream_Object_IsOneJsonMessageWithWebNames()
    {
        var messages = await MessagesAsync("/object");

        Assert.That(messages, Has.Count.EqualTo(1));
        using var json = JsonDocument.Parse(messages[0]);
        Assert.That(json.RootElement.GetProperty("message").GetString(), Is.EqualTo("Hello"));
        Assert.That(json.RootElement.GetProperty("count").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task Stream_ObjectWithNewlineInString_StaysOneLineOfJson()
    {
        var messages = await MessagesAsync("/object/multiline-string-property");

        Assert.That(JsonDocument.Parse(messages.Single()).RootElement.GetProperty("text").GetString(), Is.EqualTo("a\nb"));
    }

    [Test]
    public async Task Stream_Array_IsOneMessagePerItem()
    {
        Assert.That(await MessagesAsync("/array"), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
    }

    [Test]
    public async Task Stream_ListOfObjects_IsOneJsonMessagePerItem()
    {
        var ids = (await MessagesAsync("/list-of-objects")).Select(m => JsonDocument.Parse(m).RootElement.GetProperty("id").GetInt32());

        Assert.That(ids, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task Stream_Dictionary_IsOneObject_NotOneMessagePerEntry()
    {
        var messages = await MessagesAsync("/dictionary");

        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(JsonDocument.Parse(messages[0]).RootElement.GetProperty("name").GetString(), Is.EqualTo("row"));
    }

    [TestCase("/dispatch/list", new[] { "a", "b" })]
    [TestCase("/dispatch/generator", new[] { "1", "2", "3" })]
    [TestCase("/dispatch/task", new[] { "done" })]
    public async Task Stream_ValueTypedAsObject_IsDispatchedByRuntimeType(string path, string[] expected)
    {
        Assert.That(await MessagesAsync(path), Is.EqualTo(expected));
    }

    [Test]
    public async Task Stream_UnsupportedDelegate_FailsWithClearMessage()
    {
        using var response = await _server.GetAsync("/unsupported");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(body, Does.Contain("Stream cannot take a Func`2"));
    }

    [Test]
    public async Task Stream_AsyncGenerator_IsOneMessagePerItem()
    {
        Assert.That(await MessagesAsync("/generator"), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
    }

    [Test]
    public async Task Stream_GeneratorMethodGroup_IsOneMessagePerItem()
    {
        Assert.That(await MessagesAsync("/generator/method-group"), Is.EqualTo(new[] { "one", "two", "three", "four", "five" }));
    }

    [Test]
    public async Task Stream_GeneratorThatThrows_SendsErrorThenCloses_AndLogs()
    {
        var messages = await MessagesAsync("/generator/throws");

        Assert.That(messages, Has.Count.EqualTo(2));
        Assert.That(messages[0], Is.EqualTo("1"));
        Assert.That(JsonDocument.Parse(messages[1]).RootElement.GetProperty("error").GetString(), Is.EqualTo("generator exploded"));
        Assert.That(_server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Error, "/generator/throws"), Is.True);
    }

    [Test]
    public async Task Stream_Task_IsItsResult()
    {
        Assert.That(await MessagesAsync("/task"), Is.EqualTo(new[] { """{"ok":true}""" }));
        Assert.That(await MessagesAsync("/task/delayed"), Is.EqualTo(new[] { """{"late":true}""" }));
        Assert.That(await MessagesAsync("/valuetask"), Is.EqualTo(new[] { "42" }));
    }

    [Test]
    public async Task Stream_FaultedTask_IsAnErrorMessage()
    {
        var messages = await MessagesAsync("/task/fault");

        Assert.That(JsonDocument.Parse(messages.Single()).RootElement.GetProperty("error").GetString(), Is.EqualTo("upstream timed out"));
    }

    [Test]
    public async Task Stream_TaskOfNothing_ClosesWithoutMessages()
    {
        var events = await EventsAsync("/task/void");

        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "end" }));
    }

    [Test]
    public async Task Stream_FileReadOneByteAtATime_KeepsCharactersWhole_OneMessagePerLine()
    {
        Assert.That(await MessagesAsync("/file/trickle"), Is.EqualTo(new[] { "first", Www.Emoji, "last" }));
    }

    [Test]
    public async Task Stream_TextReaderAndPipeReader_AreOneMessagePerLine()
    {
        Assert.That(await MessagesAsync("/textreader"), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(await MessagesAsync("/pipereader"), Is.EqualTo(new[] { "p1", "p2" }));
    }

    [Test]
    public async Task Stream_ChannelReader_IsOneMessagePerItemUntilCompleted()
    {
        Assert.That(await MessagesAsync("/channel"), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    [Test]
    public async Task Stream_AsyncCallback_ClosesWhenItCompletes()
    {
        Assert.That(await MessagesAsync("/callback/async"), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Stream_Callback_StaysOpenAfterItsMessages()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _server.OpenStreamAsync("/callback", cancel.Token);
        await using var body = await response.Content.ReadAsStreamAsync(cancel.Token);

        var first = await SseReader.ReadAsync(body, 2, cancel.Token);

        Assert.That(first.Select(e => e.Data), Is.EqualTo(new[] { "one", """{"n":2}""" }));
    }

    [Test]
    public async Task Stream_Handle_SendsEventNamesIdsAndRetry()
    {
        using var response = await _server.OpenStreamAsync("/handle");
        await using var body = await response.Content.ReadAsStreamAsync();
        var parser = System.Net.ServerSentEvents.SseParser.Create(body);
        var events = new List<System.Net.ServerSentEvents.SseItem<string>>();
        await foreach (var item in parser.EnumerateAsync())
        {
            events.Add(item);
        }

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(new[]
        {
            ("message", "a"),
            ("custom", """{"b":1}"""),
            ("message", "c"),
            ("end", string.Empty),
        }));
        Assert.That(events[1].EventId, Is.EqualTo("7"));
        Assert.That(events[2].EventId, Is.EqualTo("8"));
        Assert.That(parser.ReconnectionInterval, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
    }

    [Test]
    public async Task Stream_HandleError_SendsErrorObjectThenCloses()
    {
        var events = await EventsAsync("/handle/error");

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(new[] { ("message", """{"error":"boom"}"""), ("end", string.Empty) }));
    }

    [Test]
    public async Task Stream_Headers_FollowTheSpec()
    {
        using var response = await _server.OpenStreamAsync("/string");

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
        Assert.That(response.Headers.GetValues("X-Accel-Buffering"), Is.EqualTo(new[] { "no" }));
        Assert.That(response.Headers.Connection, Does.Contain("keep-alive"));
    }

    [Test]
    public async Task Send_AfterClose_ReturnsFalse()
    {
        var key = Probe.NewKey();

        var messages = await MessagesAsync($"/handle/send-after-close?key={key}");

        Assert.That(messages, Is.EqualTo(new[] { "only" }));
        Assert.That(Probe.Count(key, "refused"), Is.EqualTo(1));
    }

    [Test]
    public async Task Return_AfterStream_IsReportedInTheStream_AndLogged()
    {
        var messages = await MessagesAsync("/mixed/return-after-stream");

        Assert.That(messages, Has.Count.EqualTo(2));
        Assert.That(messages[0], Is.EqualTo("x"));
        Assert.That(JsonDocument.Parse(messages[1]).RootElement.GetProperty("error").GetString(), Does.Contain("Return was called after Stream"));
        Assert.That(_server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Error, "Return was called after Stream"), Is.True);
    }

    [Test]
    public async Task Stream_AfterReturn_Throws_AndAnswers500WithTheReason()
    {
        using var response = await _server.GetAsync("/mixed/stream-after-return");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Stream was called after Return"));
        Assert.That(_server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Error, "Stream was called after Return"), Is.True);
    }
}
