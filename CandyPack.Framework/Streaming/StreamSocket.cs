using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Streaming;

/// <summary>Settings of the TCP connection an HTTP/1.1 stream has to itself.</summary>
internal static class StreamSocket
{
    /// <summary>
    /// The connection carries only this stream: a bounded send buffer keeps a stalled client from parking megabytes in
    /// the kernel (<c>stream.sendBuffer</c>; 0 leaves the system's).
    /// </summary>
    public static void BoundSendBuffer(HttpContext context, int sendBuffer)
    {
        if (sendBuffer > 0 && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            socket.SendBufferSize = sendBuffer;
        }
    }
}
