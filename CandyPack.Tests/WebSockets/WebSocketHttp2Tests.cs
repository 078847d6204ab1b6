using System.Net;
using System.Net.WebSockets;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.WebSockets;

/// <summary>WebSocket over HTTP/2 (RFC 8441 extended CONNECT), which Kestrel and the runtime's client both speak.</summary>
[TestFixture]
public sealed class WebSocketHttp2Tests
{
    [Test]
    public async Task Stream_OverHttp2ExtendedConnect_ArrivesLikeOverHttp11()
    {
        await using var server = await CandyServer.StartAsync(options => options.Urls.Add("h2c://127.0.0.1:0"), TestSite.Create("Streams"));
        var h2c = server.Addresses[1];
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        await using var socket = await WebSocketListener.ConnectAsync(h2c, "/generator", options =>
        {
            options.HttpVersion = HttpVersion.Version20;
            options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }, invoker);
        await socket.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(socket.Messages, Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }
}
