using System.Net.WebSockets;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.WebSockets;

/// <summary>permessage-deflate is negotiated only when the site opts in (<c>websocket.compression</c>), and messages arrive intact either way.</summary>
[TestFixture]
public sealed class WebSocketCompressionTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task Compression_IsNegotiatedOnlyWhenEnabled(bool enabled)
    {
        await using var server = await CandyServer.StartAsync(TestSite.Create("Streams", $$"""{ "websocket": { "compression": {{(enabled ? "true" : "false")}} } }"""));

        await using var socket = await WebSocketListener.ConnectAsync(server.Address, "/payload/big", options =>
            options.DangerousDeflateOptions = new WebSocketDeflateOptions());
        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var extensions = socket.Socket.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true ? string.Join(",", values) : string.Empty;
        Assert.Multiple(() =>
        {
            Assert.That(extensions.Contains("permessage-deflate", StringComparison.Ordinal), Is.EqualTo(enabled), extensions);
            Assert.That(socket.Messages.Single(), Is.EqualTo(new string('x', 1024 * 1024)));
        });
    }
}
