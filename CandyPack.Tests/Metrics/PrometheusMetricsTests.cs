using System.Net;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Metrics;

/// <summary>/_candy/metrics: off by default; when on, the CandyPack meter with ASP.NET Core's and Kestrel's, scraped and parsed.</summary>
[TestFixture]
[NonParallelizable]
public sealed class PrometheusMetricsTests
{
    [Test]
    public async Task Metrics_AreOffByDefault()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams"));

        using var response = await server.GetAsync("/_candy/metrics");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Metrics_WhenEnabled_ExportRequestsStreamsAndTheFrameworksOwnMeters()
    {
        await using var server = await CandyServer.StartAsync(CandyServer.ExampleSite());
        using (var hello = await server.GetAsync("/hello"))
        {
            Assert.That(hello.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var array = await server.GetAsync("/array"))
        {
            Assert.That(await array.Content.ReadAsStringAsync(), Does.Contain("event: end"));
        }

        // The exporter may answer from a scrape cached for a moment: scrape until the requests above are in it.
        PrometheusText? scrape = null;
        var found = await Eventually.TrueAsync(async () =>
        {
            using var response = await server.GetAsync("/_candy/metrics");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            return scrape.Sum("candypack_requests_total", ("http_route", "/array")) >= 1;
        });

        Assert.That(found, Is.True, "candypack_requests_total for /array appeared in the scrape");
        Assert.Multiple(() =>
        {
            Assert.That(scrape!.Types["candypack_requests_total"], Is.EqualTo("counter"));
            Assert.That(scrape.Sum("candypack_requests_total", ("http_route", "/hello")), Is.GreaterThanOrEqualTo(1));
            Assert.That(scrape.Types["candypack_stream_messages_total"], Is.EqualTo("counter"));
            Assert.That(scrape.Sum("candypack_stream_messages_total"), Is.GreaterThanOrEqualTo(6), "five items and the end event");
            Assert.That(scrape.Types["candypack_streams_open"], Is.EqualTo("gauge"));
            Assert.That(scrape.Types["candypack_request_duration_milliseconds"], Is.EqualTo("histogram"));
            Assert.That(scrape.Sum("candypack_request_duration_milliseconds_count", ("http_route", "/hello")), Is.GreaterThanOrEqualTo(1));
            Assert.That(scrape.Types["http_server_request_duration_seconds"], Is.EqualTo("histogram"), "ASP.NET Core's meter");
            Assert.That(scrape.Types, Does.ContainKey("kestrel_active_connections"), "Kestrel's meter");
            Assert.That(scrape.Sum("target_info", ("service_name", "ExampleSite")), Is.EqualTo(1), "the service is named after the site");
            Assert.That(
                scrape.Samples.Where(sample => sample.Name == "target_info").Select(sample => sample.Labels.GetValueOrDefault("service_name")),
                Is.EqualTo(new[] { "ExampleSite" }),
                "one target_info, and its service_name is the site's, not OpenTelemetry's unknown_service:<process>");
            Assert.That(scrape.Samples.SelectMany(sample => sample.Labels.Values), Has.None.StartsWith("unknown_service"));
        });
    }
}
