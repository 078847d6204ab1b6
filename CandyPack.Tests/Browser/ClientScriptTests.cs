using System.Net;
using System.Net.Http.Headers;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Browser;

/// <summary>candy.js as every site serves it: JavaScript content type, a short cache, an ETag, HEAD and ranges.</summary>
[TestFixture]
public sealed class ClientScriptTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(CandyServer.ExampleSite());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/_candy/candy.js", "var Candy")]
    [TestCase("/_candy/candy.esm.js", "export function listen")]
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
    public async Task Script_Head_HasTheLengthAndNoBody_AndARangeGetsThosePartOnly()
    {
        using var full = await _server.GetAsync("/_candy/candy.esm.js");
        var bytes = await full.Content.ReadAsByteArrayAsync();
        using var head = await _server.Client.SendAsync(_server.Request(HttpMethod.Head, "/_candy/candy.esm.js"));
        var range = _server.Request(HttpMethod.Get, "/_candy/candy.esm.js");
        range.Headers.Range = new RangeHeaderValue(10, 19);

        using var part = await _server.Client.SendAsync(range);

        Assert.Multiple(async () =>
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(bytes.Length));
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
            Assert.That(await part.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes[10..20]));
        });
    }

    [Test]
    public async Task UnknownClientFile_Is404()
    {
        using var response = await _server.GetAsync("/_candy/nothing.js");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ClassicScript_IsTheBuildOfTheModule_AsCommitted()
    {
        var built = Path.Combine(Path.GetTempPath(), "candy-tests", "candy-" + Guid.NewGuid().ToString("N")[..8] + ".js");
        Directory.CreateDirectory(Path.GetDirectoryName(built)!);

        // The same command as `npm run build`, into a temporary file instead of the framework's Client folder.
        await Esbuild.RunAsync(
            "src/candy.js", "--format=iife", "--global-name=Candy", "--footer:js=Candy = Candy.default;",
            "--banner:js=// Built from clients/js/src/candy.js by npm run build in clients/js: edit that file, not this one.",
            "--outfile=" + built);
        using var served = await _server.GetAsync("/_candy/candy.js");

        Assert.That(
            await served.Content.ReadAsStringAsync(),
            Is.EqualTo(await File.ReadAllTextAsync(built)),
            "CandyPack.Framework/Client/candy.js is out of date: run npm run build in clients/js");
        File.Delete(built);
    }
}
