using System.Diagnostics;
using System.Net.Sockets;
using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CandyPack.Tests.Streaming;

/// <summary>Host shutdown with many open streams.</summary>
[TestFixture]
public sealed class StreamShutdownTests
{
    [Test]
    public async Task Shutdown_WithAThousandOpenStreams_ClosesThemAll_RunsCleanups_AndDoesNotWaitOutTheTimeout()
    {
        var shutdownTimeout = TimeSpan.FromSeconds(90);
        var server = await CandyServer.StartAsync(
            options => options.ConfigureBuilder += builder => builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout),
            TestSite.Create("Streams", """{ "stream": { "heartbeat": 0 } }"""));
        var key = Probe.NewKey();
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                sockets.Add(await RawHttp.OpenAsync(server.Address, $"/idle?key={key}"));
            }

            var site = server.App.Services.GetRequiredService<SiteRegistry>().Sites[0];
            Assert.That(await Eventually.TrueAsync(() => site.Streams.Count == 1000, TimeSpan.FromSeconds(60)), Is.True, $"only {site.Streams.Count} streams opened");

            var stopping = Stopwatch.StartNew();
            await server.DisposeAsync();
            stopping.Stop();

            Assert.That(Probe.Count(key, "cleanup"), Is.EqualTo(1000));
            Assert.That(stopping.Elapsed, Is.LessThan(shutdownTimeout / 2), "shutdown waited for the streams instead of closing them");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
