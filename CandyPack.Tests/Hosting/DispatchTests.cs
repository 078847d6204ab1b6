using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>Two sites on one host: the Host header picks the site and the subdomain picks the route file.</summary>
[TestFixture]
public sealed class DispatchTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(
        TestSite.Create("Alpha", """{ "domains": ["alpha.test"] }""", new Dictionary<string, string> { ["public/only-post.txt"] = "a static file" }),
        TestSite.Create("Beta", """{ "domains": ["beta.test", "beta.example"] }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("alpha.test", "alpha")]
    [TestCase("www.alpha.test", "alpha")]
    [TestCase("api.alpha.test", "alpha api")]
    [TestCase("beta.test", "beta")]
    [TestCase("beta.example:8080", "beta")]
    [TestCase("unknown.example", "alpha")]
    [TestCase("127.0.0.1", "alpha")]
    public async Task HostHeader_SelectsSiteAndSubdomain(string host, string expected)
    {
        using var response = await _server.GetAsync("/whoami", host);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
    }

    [Test]
    public async Task RouteOfAnotherSite_IsNotServed()
    {
        using var response = await _server.GetAsync("/only-alpha", "beta.test");

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }

    [Test]
    public async Task RouteOfAnotherSubdomain_NeitherAnswers405_NorHidesAStaticFile()
    {
        using var response = await _server.GetAsync("/only-post.txt", "api.alpha.test");

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("a static file"));
    }

    [Test]
    public async Task WrongVerb_OnlyListsTheMethodsOfTheRequestsOwnSite()
    {
        using var wrongVerb = await _server.Client.SendAsync(_server.Request(HttpMethod.Delete, "/whoami", "beta.test"));
        using var otherSite = await _server.Client.SendAsync(_server.Request(HttpMethod.Put, "/only-post.txt", "beta.test"));

        Assert.That(wrongVerb.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.MethodNotAllowed));
        Assert.That(wrongVerb.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET" }));
        Assert.That(otherSite.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }
}
