using System.Net;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Browser;

/// <summary>candy.js as every site serves it: JavaScript content type, a short cache and an ETag.</summary>
[TestFixture]
public sealed class ClientScriptTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(CandyServer.ExampleSite());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/_candy/candy.js", "Candy.listen")]
    [TestCase("/_candy/candy.esm.js", "export default Candy")]
    public async Task Script_IsServedAsJavaScript_WithCaching(string path, string content)
    {
        using var response = await _server.GetAsync(path);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/javascript; charset=utf-8"));
            Assert.That(response.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(300)));
            Assert.That(response.Headers.ETag, Is.Not.Null);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(content));
        });
    }

    [Test]
    public async Task Script_WithMatchingETag_Is304()
    {
        using var first = await _server.GetAsync("/_candy/candy.js");
        var request = _server.Request(HttpMethod.Get, "/_candy/candy.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await _server.Client.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task UnknownClientFile_Is404()
    {
        using var response = await _server.GetAsync("/_candy/nothing.js");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
