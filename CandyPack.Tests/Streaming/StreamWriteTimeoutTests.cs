using CandyPack.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.Streaming;

/// <summary>A client that stops reading is cut once a write makes no progress for stream.writeTimeout.</summary>
[TestFixture]
public sealed class StreamWriteTimeoutTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "Streams",
        """{ "stream": { "writeTimeout": 1, "heartbeat": 0 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task StalledClient_OfAPulledStream_IsCutAfterTheWriteTimeout_AndLogged()
    {
        // A pulled generator never overflows the queue, so only the write deadline can free this connection.
        using var socket = await RawHttp.OpenAsync(_server.Address, "/generator/million", receiveBuffer: 4096);
        var site = Site.Of(_server);
        Assert.That(await Eventually.TrueAsync(() => site.Streams.Count == 1), Is.True, "the stream did not open");

        Assert.That(
            await Eventually.TrueAsync(() => _server.Logs.Contains(LogLevel.Warning, "stream.writeTimeout"), TimeSpan.FromSeconds(60)),
            Is.True,
            "a client that never reads kept its stream open");
        Assert.That(await Eventually.TrueAsync(() => site.Streams.Count == 0), Is.True, "the stalled stream was not closed");
    }

    [Test]
    public async Task StreamConnection_HasABoundedSocketSendBuffer()
    {
        using var response = await _server.OpenStreamAsync("/send-buffer");
        var reported = SseReader.Messages(await SseReader.ReadAllAsync(response)).Single();

        // stream.sendBuffer is 64 KiB by default; Linux reports twice what was set, for its own bookkeeping.
        Assert.That(int.TryParse(reported, out var size), Is.True, reported);
        Assert.That(size, Is.LessThanOrEqualTo(2 * 64 * 1024), "the stream's socket kept the system's autotuned send buffer");
    }

    private static class Site
    {
        public static CandyPack.Hosting.SiteRuntime Of(CandyServer server) =>
            ((CandyPack.Hosting.SiteRegistry)server.App.Services.GetService(typeof(CandyPack.Hosting.SiteRegistry))!).Sites[0];
    }
}
