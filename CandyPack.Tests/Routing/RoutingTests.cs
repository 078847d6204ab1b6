using System.Net;
using System.Text.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Routing;

/// <summary>Requests reach the right controller by method and path; no route is 404, a wrong verb 405.</summary>
[TestFixture]
public sealed class RoutingTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create("Good"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/hello", "hello via GET")]
    [TestCase("/fetch", "data.fetch")]
    [TestCase("/", "root index")]
    public async Task Get_ReachesTheConventionalController(string path, string expected)
    {
        using var response = await _server.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Post_ReachesThePostFolder()
    {
        using var response = await _server.Client.PostAsync("/hello", null);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("hello via POST"));
    }

    [Test]
    public async Task PathParameter_IsARequestValue()
    {
        using var response = await _server.GetAsync("/items/abc-42");

        Assert.That(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString(), Is.EqualTo("abc-42"));
    }

    [Test]
    public async Task MatchedRoute_IsAvailableToTheHandler()
    {
        using var response = await _server.GetAsync("/info");
        var info = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(info.GetProperty("pattern").GetString(), Is.EqualTo("/info"));
        Assert.That(info.GetProperty("subdomain").GetString(), Is.EqualTo("www"));
        Assert.That(info.GetProperty("method").GetString(), Is.EqualTo("GET"));
    }

    [Test]
    public async Task Controller_GetsConstructorInjection()
    {
        using var response = await _server.GetAsync("/injected");

        Assert.That(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("timeout").GetDouble(), Is.EqualTo(30));
        Assert.That(_server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Information, "injected controller ran"), Is.True);
    }

    [Test]
    public async Task UnknownPath_Is404()
    {
        using var response = await _server.GetAsync("/no/such/page");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("/no/such/page"));
    }

    [Test]
    public async Task WrongVerb_Is405_WithAllow()
    {
        using var response = await _server.Client.DeleteAsync("/hello");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "POST" }));
    }
}
