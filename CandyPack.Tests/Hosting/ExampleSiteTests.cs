using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Client;
using CandyPack.Tests.Client;
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

    [Test]
    public async Task Chat_PostedLine_ReachesListeners_AndALateJoinerSeesIt()
    {
        var text = "hello " + Guid.NewGuid().ToString("N")[..8];
        await using var early = await SseListener.OpenAsync(_server.Client, "/chat/stream");

        using var posted = await PostChatAsync($$"""{"name": "ada", "text": "{{text}}"}""");
        await early.WaitForAsync(items => Lines(items).Contains("ada: " + text), "the posted line");

        // The late joiner is the .NET client over WebSocket: the recent history reaches it like any other client.
        var late = new CandyClient(_server.Client, new CandyClientOptions { Transport = CandyTransport.WebSocket });
        using var deadline = new CancellationTokenSource(ClientReading.Deadline);
        await using var lines = ClientReading.Open(late.Listen<JsonElement>("/chat/stream"), deadline);
        CandyMessage<JsonElement> seen;
        do
        {
            seen = (await ClientReading.TakeAsync(lines, 1))[0];
        }
        while (seen.Event != "message" || seen.Data.GetProperty("text").GetString() != text);

        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(seen.Data.GetProperty("name").GetString(), Is.EqualTo("ada"));
        Assert.That(
            early.Items.Last(i => i.Data.Contains(text)).EventId,
            Is.EqualTo(seen.Id),
            "the late joiner gets the line with its id, so it can resume from there");
    }

    [TestCase("{\"text\": \"hi\"}", "\"name\" is missing")]
    [TestCase("{\"name\": \"ada\"}", "\"text\" is missing")]
    [TestCase("{\"name\": \"ada\", \"text\": \"  \"}", "\"text\" is missing")]
    [TestCase("{\"name\": 7, \"text\": \"hi\"}", "\"name\" is missing: it must be a non-empty string")]
    [TestCase("[\"ada\", \"hi\"]", "as a JSON object")]
    public async Task Chat_PostWithoutAField_Is400_SayingWhich_AndSaysNothing(string body, string expected)
    {
        await ExpectRefusedAsync(body, expected);
    }

    [TestCase("name", 41, "\"name\" has 41 characters; at most 40 are allowed")]
    [TestCase("text", 1001, "\"text\" has 1001 characters; at most 1000 are allowed")]
    public async Task Chat_PostWithAnOversizedField_Is400_SayingWhich_AndSaysNothing(string field, int length, string expected)
    {
        var line = new Dictionary<string, string> { ["name"] = "ada", ["text"] = "hi" };
        line[field] = new string('x', length);

        await ExpectRefusedAsync(JsonSerializer.Serialize(line), expected);
    }

    [Test]
    public async Task ChatStream_NameLongerThanAllowed_Is400()
    {
        using var response = await _server.GetAsync("/chat/stream?name=" + new string('n', 41));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"name\" is longer than 40 characters"));
    }

    private static List<string> Lines(IEnumerable<System.Net.ServerSentEvents.SseItem<string>> items) =>
        [.. SseReader.Messages(items).Select(data => JsonDocument.Parse(data).RootElement)
            .Select(line => line.GetProperty("name").GetString() + ": " + line.GetProperty("text").GetString())];

    private Task<HttpResponseMessage> PostChatAsync(string json) =>
        _server.Client.PostAsync("/chat", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Posts a bad line, then a good one: a listener that resumes from before both gets only the good one.</summary>
    private async Task ExpectRefusedAsync(string body, string expected)
    {
        using var start = await PostChatAsync("""{"name": "ada", "text": "before"}""");
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await using var listener = await SseListener.OpenAsync(_server.Client, "/chat/stream", lastEventId: id);
        var marker = "after " + Guid.NewGuid().ToString("N")[..8];

        using var refused = await PostChatAsync(body);
        using var accepted = await PostChatAsync($$"""{"name": "ada", "text": "{{marker}}"}""");
        await listener.WaitForAsync(items => Lines(items).Contains("ada: " + marker), "the line after the refused one");

        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain(expected));
            Assert.That(Lines(listener.Items), Is.EqualTo(new[] { "ada: " + marker }), "the refused line was not said");
        });
    }
}
