using System.Net;
using System.Net.Sockets;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>Limits from config answer with the documented status codes.</summary>
[TestFixture]
public sealed class LimitsTests
{
    [Test]
    public async Task HeadersOverTheLimit_Are431()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams", """{ "server": { "maxRequestHeaderSize": 2048 } }"""));
        using var request = server.Request(HttpMethod.Get, "/string");
        request.Headers.Add("X-Big", new string('a', 4096));

        using var response = await server.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    [Test]
    public async Task StreamsOverMaxStreams_Get503WithRetryAfter()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams", """{ "stream": { "maxStreams": 2 } }"""));
        using var open = await OpenStreamsAsync(server, 2);

        using var third = await server.GetAsync("/idle");

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(third.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await third.Content.ReadAsStringAsync(), Does.Contain("stream.maxStreams"));
    }

    [Test]
    public async Task RequestsOverMaxConcurrentRequests_Get503WithRetryAfter()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams", """{ "server": { "maxConcurrentRequests": 1 } }"""));
        using var open = await OpenStreamsAsync(server, 1);

        using var refused = await server.GetAsync("/string");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("server.maxConcurrentRequests"));

    }

    [Test]
    public async Task Health_AnswersWhileMaxConcurrentRequestsAreInFlight()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams", """{ "server": { "maxConcurrentRequests": 1 } }"""));
        using var open = await OpenStreamsAsync(server, 1);

        using var live = await server.GetAsync("/_candy/health/live");
        using var ready = await server.GetAsync("/_candy/health");
        using var refused = await server.GetAsync("/string");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the stream still holds the only slot");

    }

    /// <summary>Opens <paramref name="count"/> idle streams and waits until the site counts them all; disposing the result closes them.</summary>
    private static async Task<OpenStreams> OpenStreamsAsync(CandyServer server, int count)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            sockets.Add(await RawHttp.OpenAsync(server.Address, $"/idle?key={Probe.NewKey()}"));
        }

        var site = ((CandyPack.Hosting.SiteRegistry)server.App.Services.GetService(typeof(CandyPack.Hosting.SiteRegistry))!).Sites[0];
        Assert.That(await Eventually.TrueAsync(() => site.Streams.Count == count), Is.True, $"{count} streams did not open");
        return new OpenStreams(sockets);
    }

    private sealed class OpenStreams(List<Socket> sockets) : IDisposable
    {
        public void Dispose() => sockets.ForEach(s => s.Dispose());
    }
}
