using System.Diagnostics.Metrics;
using CandyPack.Hosting.Prometheus;

namespace CandyPack.Tests.Metrics;

/// <summary>
/// The exporter behind /_candy/metrics on a meter of the test's own: every kind of instrument, names and units after
/// the OpenTelemetry rules, histograms cumulative, labels escaped, and only the meters asked for.
/// </summary>
[TestFixture]
public sealed class PrometheusExporterTests
{
    [Test]
    public void EveryInstrumentKind_IsWrittenWithItsTypeNameAndValue()
    {
        using var meter = new Meter("CandyPack.Tests.Exporter." + Guid.NewGuid().ToString("N"), "2.1");
        using var exporter = new PrometheusExporter([meter.Name], meterFactory: null, serviceName: "my_site");
        var counter = meter.CreateCounter<long>("app.jobs", "{job}", "Jobs done");
        var upDown = meter.CreateUpDownCounter<int>("app.queue.length", "{job}");
        var bytes = meter.CreateCounter<double>("app.sent", "By");
        meter.CreateObservableGauge("app.load", () => 0.75, "1");
        meter.CreateObservableCounter("app.uptime", () => 42L, "s");

        counter.Add(2, new KeyValuePair<string, object?>("queue", "mail"));
        counter.Add(3, new KeyValuePair<string, object?>("queue", "mail"));
        counter.Add(1, new KeyValuePair<string, object?>("queue", "sms"));
        upDown.Add(5);
        upDown.Add(-2);
        bytes.Add(1.5);
        bytes.Add(2.25);

        var scrape = PrometheusText.Parse(exporter.Scrape());

        Assert.Multiple(() =>
        {
            Assert.That(scrape.Types["app_jobs_total"], Is.EqualTo("counter"), "a counter gains _total; {job} is an annotation, not a unit");
            Assert.That(scrape.Sum("app_jobs_total", ("queue", "mail")), Is.EqualTo(5));
            Assert.That(scrape.Sum("app_jobs_total", ("queue", "sms")), Is.EqualTo(1));
            Assert.That(scrape.Sum("app_jobs_total", ("otel_scope_name", meter.Name)), Is.EqualTo(6), "every sample names its meter");
            Assert.That(scrape.Types["app_queue_length"], Is.EqualTo("gauge"), "an up-down counter is a gauge");
            Assert.That(scrape.Sum("app_queue_length"), Is.EqualTo(3));
            Assert.That(scrape.Types["app_sent_bytes_total"], Is.EqualTo("counter"), "By is bytes");
            Assert.That(scrape.Sum("app_sent_bytes_total"), Is.EqualTo(3.75));
            Assert.That(scrape.Types["app_load_ratio"], Is.EqualTo("gauge"), "a gauge in 1 is a ratio");
            Assert.That(scrape.Sum("app_load_ratio"), Is.EqualTo(0.75));
            Assert.That(scrape.Types["app_uptime_seconds_total"], Is.EqualTo("counter"));
            Assert.That(scrape.Sum("app_uptime_seconds_total"), Is.EqualTo(42), "an observable counter reports its own total");
            Assert.That(scrape.Sum("target_info", ("service_name", "my_site")), Is.EqualTo(1));
        });
    }

    [Test]
    public void Histogram_BucketsAreCumulative_BoundsAdvisedOrOpenTelemetrysDefault()
    {
        using var meter = new Meter("CandyPack.Tests.Exporter." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter([meter.Name], meterFactory: null, serviceName: "site");
        var advised = meter.CreateHistogram<double>("app.wait", "s", "Wait", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        var plain = meter.CreateHistogram<long>("app.size", "ms");

        foreach (var value in new[] { 0.05, 0.1, 0.5, 2, 20 })
        {
            advised.Record(value);
        }

        plain.Record(7);

        var scrape = PrometheusText.Parse(exporter.Scrape());
        var buckets = scrape.Samples.Where(s => s.Name == "app_wait_seconds_bucket").ToDictionary(s => s.Labels["le"], s => s.Value);

        Assert.Multiple(() =>
        {
            Assert.That(scrape.Types["app_wait_seconds"], Is.EqualTo("histogram"));
            Assert.That(buckets, Is.EqualTo(new Dictionary<string, double> { ["0.1"] = 2, ["1"] = 3, ["10"] = 4, ["+Inf"] = 5 }), "a value on a bound counts in that bound's bucket");
            Assert.That(scrape.Sum("app_wait_seconds_count"), Is.EqualTo(5));
            Assert.That(scrape.Sum("app_wait_seconds_sum"), Is.EqualTo(22.65).Within(1e-9));
            Assert.That(
                scrape.Samples.Where(s => s.Name == "app_size_milliseconds_bucket").Select(s => s.Labels["le"]),
                Is.EqualTo(new[] { "0", "5", "10", "25", "50", "75", "100", "250", "500", "750", "1000", "2500", "5000", "7500", "10000", "+Inf" }));
            Assert.That(scrape.Sum("app_size_milliseconds_bucket", ("le", "10")), Is.EqualTo(1));
            Assert.That(scrape.Sum("app_size_milliseconds_bucket", ("le", "5")), Is.Zero);
        });
    }

    [Test]
    public void LabelValues_AreEscaped_AndOtherMetersAreLeftOut()
    {
        using var meter = new Meter("CandyPack.Tests.Exporter." + Guid.NewGuid().ToString("N"));
        using var other = new Meter("CandyPack.Tests.Other." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter([meter.Name], meterFactory: null, serviceName: "a \"quoted\" site");
        meter.CreateCounter<int>("app.hits").Add(1, new KeyValuePair<string, object?>("http.route", "/a\"b\\c\nd"), new KeyValuePair<string, object?>("ok", true));
        other.CreateCounter<int>("other.hits").Add(1);

        var text = exporter.Scrape();
        var scrape = PrometheusText.Parse(text);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("""app_hits_total{otel_scope_name="%",http_route="/a\"b\\c\nd",ok="true"} 1""".Replace("%", meter.Name, StringComparison.Ordinal)));
            Assert.That(text, Does.Contain("""target_info{service_name="a \"quoted\" site"} 1"""));
            Assert.That(scrape.Types, Does.Not.ContainKey("other_hits_total"));
        });
    }
}
