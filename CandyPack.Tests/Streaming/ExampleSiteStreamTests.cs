using System.Net.ServerSentEvents;
using System.Text.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Streaming;

/// <summary>Every example of the streaming guide, as the example site serves it, read with an SSE parser.</summary>
[TestFixture]
public sealed class ExampleSiteStreamTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(CandyServer.ExampleSite());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<List<SseItem<string>>> AllAsync(string path)
    {
        using var response = await _server.OpenStreamAsync(path);
        return await SseReader.ReadAllAsync(response);
    }

    private async Task<List<string>> FirstAsync(string path, int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await _server.OpenStreamAsync(path, cancel.Token);
        await using var body = await response.Content.ReadAsStreamAsync(cancel.Token);
        return (await SseReader.ReadAsync(body, count, cancel.Token)).Select(e => e.Data).ToList();
    }

    private static JsonElement Json(string data) => JsonDocument.Parse(data).RootElement;

    [TestCase("/hello")]
    [TestCase("/hello/inline")]
    public async Task QuickStart_SendsHelloWorldOnce(string path)
    {
        var events = await AllAsync(path);

        Assert.That(events.Select(e => (e.EventType, e.Data)), Is.EqualTo(new[] { ("message", "Hello World"), ("end", string.Empty) }));
    }

    [Test]
    public async Task Message_IsOneJsonObject()
    {
        var message = Json(SseReader.Messages(await AllAsync("/message")).Single());

        Assert.That(message.GetProperty("message").GetString(), Is.EqualTo("Hello"));
        Assert.That(message.GetProperty("time").GetInt64(), Is.Positive);
    }

    [TestCase("/callback?interval=50")]
    [TestCase("/cleanup?interval=50")]
    [TestCase("/monitor?interval=50")]
    public async Task Periodic_SendsConnectedThenTimes(string path)
    {
        var messages = await FirstAsync(path, 3);

        Assert.That(Json(messages[0]).GetProperty("type").GetString(), Is.EqualTo("connected"));
        Assert.That(Json(messages[1]).GetProperty("time").GetInt64(), Is.Positive);
        Assert.That(Json(messages[2]).GetProperty("time").GetInt64(), Is.GreaterThanOrEqualTo(Json(messages[1]).GetProperty("time").GetInt64()));
    }

    [Test]
    public async Task Array_SendsOneMessagePerItem()
    {
        Assert.That(SseReader.Messages(await AllAsync("/array")), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
    }

    [Test]
    public async Task Users_SendsEveryUserThenEnds()
    {
        var events = await AllAsync("/users");
        var users = SseReader.Messages(events).Select(Json).ToList();

        Assert.That(users, Has.Count.GreaterThanOrEqualTo(5));
        Assert.That(users.Select(u => u.GetProperty("name").GetString()), Is.All.Not.Empty);
        Assert.That(events[^1].EventType, Is.EqualTo("end"));
    }

    [Test]
    public async Task Posts_PagesThroughEveryPostOnce()
    {
        var posts = SseReader.Messages(await AllAsync("/posts")).Select(Json).ToList();
        var ids = posts.Select(p => p.GetProperty("id").GetInt64()).ToList();

        Assert.That(posts, Has.Count.GreaterThanOrEqualTo(25));
        Assert.That(ids, Is.Unique);
    }

    [Test]
    public async Task App_SendsThePromisedResult()
    {
        var result = Json(SseReader.Messages(await AllAsync("/app")).Single());

        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("ok"));
    }

    [Test]
    public async Task File_SendsOneMessagePerLine()
    {
        var expected = await File.ReadAllLinesAsync(Path.Combine(Repository.ExampleSite, "data", "large-file.txt"));

        Assert.That(SseReader.Messages(await AllAsync("/file")), Is.EqualTo(expected));
    }

    [Test]
    public async Task DataFetch_SendsTheErrorThenEnds()
    {
        var events = await AllAsync("/data/fetch");

        Assert.That(Json(SseReader.Messages(events).Single()).GetProperty("error").GetString(), Is.EqualTo("The upstream service is unavailable"));
        Assert.That(events[^1].EventType, Is.EqualTo("end"));
    }

    [Test]
    public async Task Logs_SendsEachDeploymentStepWithATimestamp()
    {
        var logs = SseReader.Messages(await AllAsync("/logs?interval=10")).Select(Json).ToList();

        Assert.That(logs.Select(l => l.GetProperty("message").GetString()), Is.EqualTo(new[] { "Pulling image", "Building", "Running migrations", "Starting instances", "Health check passed", "Deployed" }));
        Assert.That(logs.Select(l => l.GetProperty("timestamp").GetInt64()), Is.Ordered);
    }
}
