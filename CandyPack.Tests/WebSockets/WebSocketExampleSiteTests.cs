using System.Net.WebSockets;
using System.Text.Json;
using CandyPack.Client;
using CandyPack.Tests.Client;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.WebSockets;

/// <summary>
/// Every example route of the example site, upgraded to a WebSocket: the same controller sends the same messages, which
/// the .NET client reads alike on both transports.
/// </summary>
[TestFixture]
public sealed class WebSocketExampleSiteTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(CandyServer.ExampleSite());

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/hello")]
    [TestCase("/hello/inline")]
    [TestCase("/array")]
    [TestCase("/users")]
    [TestCase("/posts")]
    [TestCase("/file")]
    [TestCase("/data/fetch")]
    public async Task FiniteExample_SendsWhatServerSentEventsSend(string path)
    {
        using var response = await _server.OpenStreamAsync(path);
        var overSse = SseReader.Messages(await SseReader.ReadAllAsync(response));

        await using var socket = await WebSocketListener.ReadAllAsync(_server.Address, path);
        var overClient = new Dictionary<CandyTransport, List<string>>();
        foreach (var transport in new[] { CandyTransport.Sse, CandyTransport.WebSocket })
        {
            var client = new CandyClient(_server.Client, new CandyClientOptions { Transport = transport });
            overClient[transport] = [.. (await ClientReading.ReadToEndAsync(ct => client.Listen(path, ct))).Select(m => m.Text)];
        }

        Assert.Multiple(() =>
        {
            Assert.That(socket.Messages, Is.EqualTo(overSse));
            Assert.That(overClient[CandyTransport.Sse], Is.EqualTo(overSse), "the .NET client over SSE");
            Assert.That(overClient[CandyTransport.WebSocket], Is.EqualTo(overSse), "the .NET client over WebSocket");
            Assert.That(socket.Frames[^1].Event, Is.EqualTo("end"));
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        });
    }

    [TestCase("/message")]
    [TestCase("/app")]
    [TestCase("/logs?interval=10")]
    public async Task TimedExample_SendsAsManyMessagesAsOverServerSentEvents(string path)
    {
        using var response = await _server.OpenStreamAsync(path);
        var overSse = SseReader.Messages(await SseReader.ReadAllAsync(response));

        await using var socket = await WebSocketListener.ReadAllAsync(_server.Address, path);

        Assert.That(socket.Messages, Has.Count.EqualTo(overSse.Count));
        Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }

    [TestCase("/callback?interval=50")]
    [TestCase("/cleanup?interval=50")]
    [TestCase("/monitor?interval=50")]
    public async Task PeriodicExample_SendsConnectedThenTimes(string path)
    {
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, path);

        var messages = await socket.WaitForMessagesAsync(3);

        Assert.That(JsonDocument.Parse(messages[0]).RootElement.GetProperty("type").GetString(), Is.EqualTo("connected"));
        Assert.That(JsonDocument.Parse(messages[2]).RootElement.GetProperty("time").GetInt64(), Is.Positive);
    }
}
