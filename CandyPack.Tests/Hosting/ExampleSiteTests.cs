using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>The example site's regular routes, over a real Kestrel socket.</summary>
[TestFixture]
public sealed class ExampleSiteTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(CandyServer.ExampleSite());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Hello_ThroughController_StreamsHelloWorld()
    {
        using var response = await _server.GetAsync("/hello");
        var events = await SseReader.ReadAllAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(SseReader.Messages(events), Is.EqualTo(new[] { "Hello World" }));
    }

    [Test]
    public async Task RouteParameter_ReachesController_AsRequestValue()
    {
        using var response = await _server.GetAsync("/users/3");
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(user.GetProperty("name").GetString(), Is.EqualTo("Linus"));
    }

    [Test]
    public async Task Abort_FromController_SendsStatusAndMessage()
    {
        using var response = await _server.GetAsync("/users/99");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("No user 99"));
    }

    [Test]
    public async Task ReturnedString_IsHtml()
    {
        using var response = await _server.GetAsync("/about");

        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<h1>CandyPack example site</h1>"));
    }

    [Test]
    public async Task PublicIndex_IsServedAtRoot()
    {
        using var response = await _server.GetAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("EventSource"));
    }
}
