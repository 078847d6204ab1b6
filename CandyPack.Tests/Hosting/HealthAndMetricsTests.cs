using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>/_candy/health and the CandyPack meter follow requests and streams as they come and go.</summary>
[TestFixture]
[NonParallelizable]
public sealed class HealthAndMetricsTests
{
    [Test]
    public async Task Health_IsLiveAndReady_WithTheSiteListed()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams"));

        using var response = await server.GetAsync("/_candy/health");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var live = await server.GetAsync("/_candy/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(health.GetProperty("live").GetBoolean(), Is.True);
        Assert.That(health.GetProperty("ready").GetBoolean(), Is.True);
        Assert.That(health.GetProperty("checks").GetProperty("sites").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Health_IsNotReady_WhileTheDatabaseDoesNotAnswer()
    {
        // Port 9 (discard) on loopback: nothing listens there, so every connection is refused at once.
        await using var server = await CandyServer.StartAsync(TestSite.Create(
            "Streams", """{ "mysql": { "host": "127.0.0.1", "port": 9, "user": "nobody", "password": "none", "database": "none" } }"""));

        using var response = await server.GetAsync("/_candy/health");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(health.GetProperty("ready").GetBoolean(), Is.False);
        Assert.That(health.GetProperty("checks").GetProperty("sites").GetProperty("description").GetString(), Does.Contain("does not answer"));
    }

    [Test]
    public async Task Health_ReportsOpenStreamsPerSite()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams"));
        using var open = await RawHttp.OpenAsync(server.Address, $"/idle?key={Probe.NewKey()}");

        Assert.That(await Eventually.TrueAsync(() => StreamsInHealth(server) == 1), Is.True);
    }

    [Test]
    public async Task Metrics_CountRequestsStreamsMessagesAndBytes()
    {
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "CandyPack")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => totals.AddOrUpdate(instrument.Name, 1, (_, v) => v + 1));
        listener.Start();
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams"));

        using (var socket = await RawHttp.OpenAsync(server.Address, $"/idle?key={Probe.NewKey()}"))
        {
            Assert.That(await Eventually.TrueAsync(() => totals.GetValueOrDefault("candypack.streams.open") >= 1), Is.True, "open streams did not rise");
        }

        Assert.That(await Eventually.TrueAsync(() => totals.GetValueOrDefault("candypack.streams.open") == 0), Is.True, "open streams did not fall back");

        using (var response = await server.OpenStreamAsync("/array"))
        {
            await SseReader.ReadAllAsync(response);
        }

        Assert.That(await Eventually.TrueAsync(() => totals.GetValueOrDefault("candypack.stream.messages") >= 6), Is.True, "five messages and the end event");
        Assert.That(totals.GetValueOrDefault("candypack.stream.bytes"), Is.GreaterThan(30));
        Assert.That(await Eventually.TrueAsync(() => totals.GetValueOrDefault("candypack.requests") >= 2), Is.True);
        Assert.That(totals.GetValueOrDefault("candypack.request.duration"), Is.GreaterThanOrEqualTo(2));
    }

    private static int StreamsInHealth(CandyServer server)
    {
        using var response = server.Client.GetAsync("/_candy/health").GetAwaiter().GetResult();
        var health = response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult();
        return health.GetProperty("checks").GetProperty("sites").GetProperty("data").GetProperty("CandyPack.Tests.TestSites.Streams").GetInt32();
    }
}
