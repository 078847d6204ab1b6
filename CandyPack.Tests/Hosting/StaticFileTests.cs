using System.Net;
using System.Net.Http.Headers;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>public/ is served with the right content types and caching headers, and nothing outside it ever is.</summary>
[TestFixture]
public sealed class StaticFileTests
{
    private const string Secret = "do-not-serve-this-secret";
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "Good",
        $$"""{ "secret": "{{Secret}}" }""",
        new Dictionary<string, string>
        {
            ["public/index.html"] = "<!doctype html><p>home</p>",
            ["public/css/site.css"] = "body { color: red; }",
            ["public/app.js"] = "console.log('hi');",
            ["public/data.json"] = "{\"a\":1}",
            ["private.txt"] = Secret,
        }));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/css/site.css", "text/css")]
    [TestCase("/app.js", "text/javascript")]
    [TestCase("/data.json", "application/json")]
    [TestCase("/index.html", "text/html")]
    public async Task StaticFile_HasItsContentType(string path, string mediaType)
    {
        using var response = await _server.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
    }

    [Test]
    public async Task Route_TakesPrecedenceOverIndexHtml()
    {
        using var response = await _server.GetAsync("/");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("root index"));
    }

    [Test]
    public async Task StaticFile_HasETagAndLastModified_AndAnswers304ToARevalidation()
    {
        using var first = await _server.GetAsync("/css/site.css");
        var etag = first.Headers.ETag;

        Assert.That(etag, Is.Not.Null);
        Assert.That(first.Content.Headers.LastModified, Is.Not.Null);

        using var request = _server.Request(HttpMethod.Get, "/css/site.css");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag!.Tag));
        using var second = await _server.Client.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [TestCase("GET /../config.json HTTP/1.1")]
    [TestCase("GET /../private.txt HTTP/1.1")]
    [TestCase("GET /%2e%2e/private.txt HTTP/1.1")]
    [TestCase("GET /%2E%2E/%2E%2E/private.txt HTTP/1.1")]
    [TestCase("GET /..%2fprivate.txt HTTP/1.1")]
    [TestCase("GET /css/..%2f..%2fprivate.txt HTTP/1.1")]
    [TestCase("GET /..%5cprivate.txt HTTP/1.1")]
    [TestCase("GET //etc/passwd HTTP/1.1")]
    [TestCase("GET /%2fetc%2fpasswd HTTP/1.1")]
    [TestCase("GET /public/../private.txt HTTP/1.1")]
    public async Task Traversal_NeverLeavesPublic(string requestLine)
    {
        var (status, _, body) = await RawHttp.SendAsync(_server.Address, requestLine);

        Assert.That(body, Does.Not.Contain(Secret), $"{requestLine} answered {status} with the secret");
        Assert.That(body, Does.Not.Contain("root:"));
    }

    [Test]
    public async Task MissingFile_Is404()
    {
        using var response = await _server.GetAsync("/nope.css");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
