using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using CandyPack.Streaming;
using SseFormatter = CandyPack.Streaming.SseFormatter;

namespace CandyPack.Tests.Streaming;

/// <summary>
/// The SSE framing against the examples of the WHATWG HTML standard, §9.2.6 "Interpreting an event stream": the bytes
/// the formatter writes, and what a conforming parser (the runtime's) reads back from them.
/// </summary>
[TestFixture]
public sealed class SseFormatterTests
{
    private static string Frame(object? data, string? eventName = null, string? id = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SseFormatter.WriteMessage(buffer, data, eventName, id, JsonSerializerOptions.Web);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static List<SseItem<string>> Parse(string stream) =>
        [.. SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(stream))).Enumerate()];

    [Test]
    public void MultiLinePayload_IsTheSpecsStockTickerExample_ByteForByte()
    {
        // The standard's first example: three data lines make one message "YHOO\n+2\n10".
        Assert.That(Frame("YHOO\n+2\n10"), Is.EqualTo("data: YHOO\ndata: +2\ndata: 10\n\n"));
        Assert.That(Parse(Frame("YHOO\n+2\n10")).Single().Data, Is.EqualTo("YHOO\n+2\n10"));
    }

    [Test]
    public void MessagesWithIds_ReadBackAsTheSpecsFourEventExample()
    {
        // ": test stream" example: "first event" with id 1, "second event" with the id reset, " third event" keeping its leading space.
        var stream = Frame("first event", id: "1") + Frame("second event", id: string.Empty) + Frame(" third event");

        var items = Parse(stream);

        Assert.That(items.Select(i => i.Data), Is.EqualTo(new[] { "first event", "second event", " third event" }));
        Assert.That(items.Take(2).Select(i => i.EventId), Is.EqualTo(new[] { "1", string.Empty }), "an empty id field resets the last event id");
    }

    [Test]
    public void EmptyAndLineBreakOnlyPayloads_AreDispatched_AsInTheSpecsEmptyDataExample()
    {
        // The standard dispatches "data\n\n" as "" and "data\ndata\n\n" as "\n"; an empty buffer would not be dispatched at all.
        var items = Parse(Frame(string.Empty) + Frame("\n"));

        Assert.That(items.Select(i => i.Data), Is.EqualTo(new[] { string.Empty, "\n" }));
    }

    [Test]
    public void OneLeadingSpaceAfterTheColon_IsTheFormattersOwn_AsInTheSpecsTwoIdenticalEventsExample()
    {
        // "data:test" and "data: test" are the same event: the parser drops one space after the colon, so a payload's own
        // leading spaces survive only because the formatter always writes that one space.
        Assert.That(Frame("test"), Is.EqualTo("data: test\n\n"));
        Assert.That(Parse(Frame("  two spaces")).Single().Data, Is.EqualTo("  two spaces"));
    }

    [TestCase("a\r\nb")]
    [TestCase("a\rb")]
    [TestCase("a\nb")]
    public void EveryLineEnding_TheSpecAllows_SplitsDataLines_AndReadsBackAsLf(string payload)
    {
        Assert.That(Frame(payload), Is.EqualTo("data: a\ndata: b\n\n"));
        Assert.That(Parse(Frame(payload)).Single().Data, Is.EqualTo("a\nb"));
    }

    [Test]
    public void EventName_IsWrittenAsTheEventField_AndObjectsAsCompactJson()
    {
        var items = Parse(Frame(new { n = 1 }, "update", "7"));

        Assert.That(items.Single().EventType, Is.EqualTo("update"));
        Assert.That(items.Single().EventId, Is.EqualTo("7"));
        Assert.That(items.Single().Data, Is.EqualTo("""{"n":1}"""));
    }

    [Test]
    public void End_IsAnEventWithAnEmptyDataField_SoItIsDispatched()
    {
        var items = Parse(Encoding.UTF8.GetString(SseFormatter.End));

        Assert.That(items.Single().EventType, Is.EqualTo("end"));
        Assert.That(items.Single().Data, Is.Empty);
    }

    [Test]
    public void SharedMessage_FramesToTheSameBytesAsTheMessageItWasMadeFrom()
    {
        var shared = new SharedMessage("5-0", "tick", SharedMessage.Serialize(new { a = "x\ny" }, JsonSerializerOptions.Web), isText: false);

        Assert.That(Encoding.UTF8.GetString(SseFormatter.Frame(shared)), Is.EqualTo(Frame(new { a = "x\ny" }, "tick", "5-0")));
    }
}
