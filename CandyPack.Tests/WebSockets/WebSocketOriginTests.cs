using System.Net;
using System.Net.WebSockets;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.WebSockets;

/// <summary>Cross-site WebSocket hijacking: an upgrade from a page of another origin is refused with 403 before the handler runs.</summary>
[TestFixture]
public sealed class WebSocketOriginTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "WebSockets", """{ "domains": ["localhost"], "websocket": { "origins": ["https://partner.example"] } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("https://evil.example")]
    [TestCase("https://localhost.evil.example")]
    [TestCase("null")]
    public async Task UpgradeFromAnotherOrigin_Gets403_AndTheHandlerDoesNotRun(string origin)
    {
        var key = Probe.NewKey();
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);

        Assert.That(() => socket.ConnectAsync(WebSocketListener.Url(_server.Address, $"/idle?key={key}"), CancellationToken.None), Throws.InstanceOf<WebSocketException>());

        Assert.Multiple(() =>
        {
            Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(Probe.Count(key, "opened"), Is.Zero, "the handler ran for a refused origin");
            Assert.That(_server.Logs.Contains(LogLevel.Warning, $"from origin {origin} refused"), Is.True);
        });
        socket.Dispose();
    }

    [TestCase("https://partner.example")]
    [TestCase("http://localhost:3000")]
    [TestCase("https://app.localhost")]
    [TestCase("same")]
    [TestCase(null)]
    public async Task UpgradeFromAnAllowedOrigin_OrWithoutOrigin_IsAccepted(string? origin)
    {
        await using var socket = await WebSocketListener.ConnectAsync(_server.Address, "/idle", options =>
        {
            if (origin is not null)
            {
                options.SetRequestHeader("Origin", origin == "same" ? $"http://{_server.Address.Authority}" : origin);
            }
        });

        Assert.That(await socket.WaitForMessagesAsync(1), Is.EqualTo(new[] { "ready" }));
    }

    [Test]
    public async Task SiteWithWebSocketDisabled_AnswersTheUpgradeAsAPlainRequest()
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("WebSockets", """{ "websocket": { "enabled": false } }"""));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        Assert.That(() => socket.ConnectAsync(WebSocketListener.Url(server.Address, "/can-receive"), CancellationToken.None), Throws.InstanceOf<WebSocketException>());

        Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.OK), "an event stream, not 101");
    }
}
