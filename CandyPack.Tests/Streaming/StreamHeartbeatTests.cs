using System.Diagnostics;
using System.Text;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Streaming;

/// <summary>Heartbeats keep idle streams alive through proxies that cut silent connections.</summary>
[TestFixture]
public sealed class StreamHeartbeatTests
{
    private const double IntervalSeconds = 1;
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "Streams",
        $$"""{ "stream": { "heartbeat": {{IntervalSeconds}} } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Heartbeats_OnAnIdleStream_ComeOneIntervalApart_NotTwo()
    {
        using var socket = await RawHttp.OpenAsync(_server.Address, $"/idle?key={Probe.NewKey()}");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        var seen = 0;
        while (arrivals.Count < 3)
        {
            var n = await socket.ReceiveAsync(buffer, deadline.Token);
            Assert.That(n, Is.Positive, "the server closed an idle stream");
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            var count = CountHeartbeats(received.ToString());
            for (; seen < count; seen++)
            {
                arrivals.Add(clock.Elapsed);
            }
        }

        // Two gaps of one interval each; a heartbeat counted as activity would make them two intervals each. The
        // bound leaves room for a busy machine without letting the doubled spacing through.
        var averageGap = (arrivals[2] - arrivals[0]).TotalSeconds / 2;
        Assert.That(averageGap, Is.LessThan(IntervalSeconds * 1.5), $"heartbeats came {averageGap:0.00}s apart; the interval is {IntervalSeconds}s");
    }

    private static int CountHeartbeats(string text)
    {
        var count = 0;
        for (var at = text.IndexOf(": heartbeat\n\n", StringComparison.Ordinal); at >= 0; at = text.IndexOf(": heartbeat\n\n", at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
