using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>Return and returned values: the content type follows the value; mixing responses is an error that says so.</summary>
[TestFixture]
public sealed class ResponseTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create("Good", """{ "request": { "timeout": 0.5, "maxBodySize": 1000 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/return/string", "text/html", "<b>hi</b>")]
    [TestCase("/return/value-string", "text/html", "returned")]
    [TestCase("/return/bytes", "application/octet-stream", "raw")]
    public async Task Return_Text_And_Bytes_HaveTheirContentType(string path, string mediaType, string body)
    {
        using var response = await _server.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(body));
    }

    [TestCase("/return/object", "name", "seven")]
    public async Task Return_Object_IsJson(string path, string property, string value)
    {
        using var response = await _server.GetAsync(path);

        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty(property).GetString(), Is.EqualTo(value));
    }

    [Test]
    public async Task ReturnedValueFromAsyncHandler_IsJson()
    {
        using var response = await _server.GetAsync("/return/value-object");

        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("returned").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Return_WithStatus_SetsIt()
    {
        using var response = await _server.GetAsync("/return/created");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [TestCase("/return/null")]
    [TestCase("/nothing")]
    public async Task NoBody_Is204(string path)
    {
        using var response = await _server.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Redirect_Is302WithLocation()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };
        using var response = await client.GetAsync("/redirect");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/hello"));
    }

    [Test]
    public async Task Abort_SendsStatusAndMessage()
    {
        using var response = await _server.GetAsync("/abort");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Not for you"));
    }

    [TestCase("/return/both", "also returned a value")]
    [TestCase("/return/twice", "Return was called after Return")]
    public async Task TwoResponses_Are500_NamingTheMistake(string path, string reason)
    {
        using var response = await _server.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(reason));
        Assert.That(_server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Error, reason), Is.True);
    }

    [Test]
    public async Task ThrowingHandler_Is500_AndLogged()
    {
        using var response = await _server.GetAsync("/throws");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(_server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Error, "the controller broke"), Is.True);
    }

    [Test]
    public async Task SlowHandler_Is408_AndItsTokenIsCancelled()
    {
        using var response = await _server.GetAsync("/slow");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestTimeout));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("request.timeout"));
    }

    [Test]
    public async Task SlowHandlerIgnoringItsToken_IsStill408()
    {
        using var response = await _server.GetAsync("/slow/ignores-token");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestTimeout));
    }

    [Test]
    public async Task BodyOverTheLimit_Is413_WithTheLimitInTheMessage()
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { name = new string('x', 5000) }), Encoding.UTF8, "application/json");
        using var response = await _server.Client.PostAsync("/values", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("1000 bytes"));
    }
}
