using System.Net;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Streaming;

/// <summary>In Production a failing stream tells the client only what it may know, and a passing outage lets it come back.</summary>
[TestFixture]
public sealed class StreamProductionErrorTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _server = await CandyServer.StartAsync(options => options.Development = false, TestSite.Create("Streams"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task HandlerFailure_InProduction_SendsAGenericErrorThenEnd()
    {
        using var response = await _server.OpenStreamAsync("/handler-fails-after-stream");
        var events = await SseReader.ReadAllAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(events.Select(e => e.EventType), Is.EqualTo(new[] { "message", "message", "end" }));
        Assert.That(events[1].Data, Does.Contain("\"error\""));
        Assert.That(events[1].Data, Does.Not.Contain("db.internal").And.Not.Contain("3306"), "the error message leaked the server's internals");
    }

    [Test]
    public async Task TransientFailure_ClosesWithoutEnd_AndTellsTheClientWhenToReconnect()
    {
        using var response = await _server.OpenStreamAsync("/transient");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(body, Does.Contain("data: 1\n"));
        Assert.That(body, Does.Contain("\"error\""));
        Assert.That(body, Does.Not.Contain("10.1.2.3"), "the error message leaked the database's host");
        Assert.That(body, Does.Match(@"\nretry: \d+\n"), "a transient failure should carry a reconnection hint");
        Assert.That(body, Does.Not.Contain("event: end"), "an end event would stop EventSource from coming back after the outage");
    }
}
