using System.Net;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Streaming;

/// <summary>Value tasks are awaited, not serialised; event names and ids cannot break the stream or fake the framework's events.</summary>
[TestFixture]
public sealed class StreamValueTaskAndFieldTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create("Streams"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Stream_PlainValueTask_IsAwaitedThenCloses()
    {
        var key = Probe.NewKey();
        using var response = await _server.OpenStreamAsync($"/valuetask/plain?key={key}");
        var events = await SseReader.ReadAllAsync(response);

        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "end" }), "a ValueTask is work to await, not a value to send");
        Assert.That(Probe.Count(key, "awaited"), Is.EqualTo(1));
    }

    [Test]
    public async Task InlineHandler_ReturningValueTask_IsAwaited_NotSentAsJson()
    {
        var key = Probe.NewKey();
        using var response = await _server.GetAsync($"/valuetask/inline?key={key}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        Assert.That(Probe.Count(key, "awaited"), Is.EqualTo(1));
    }

    [Test]
    public async Task Stream_ValueTaskOfTPassedAsObject_SendsItsResult()
    {
        using var response = await _server.OpenStreamAsync("/valuetask/dispatch");

        Assert.That(SseReader.Messages(await SseReader.ReadAllAsync(response)), Is.EqualTo(new[] { "done" }));
    }

    [Test]
    public async Task Send_ReservedEventNamesAndLineBreaksInEventOrId_AreRefusedWithArgumentException()
    {
        using var response = await _server.OpenStreamAsync("/send/reserved");
        var events = await SseReader.ReadAllAsync(response);

        Assert.That(
            SseReader.Messages(events),
            Is.EqualTo(new[] { "refused eventName", "refused eventName", "refused eventName", "refused id", "refused id" }));
        Assert.That(events.Count(e => e.EventType == "end"), Is.EqualTo(1), "only the framework's own end event may close the stream");
    }
}
