using System.Net;
using System.Net.WebSockets;

namespace CandyPack.Client;

/// <summary>
/// A stream that cannot go on: the server refused it (a 4xx answer: not found, unauthorized, a refused token), the
/// route is not a stream, the server closed the socket for a policy reason, or the connection dropped with
/// <see cref="CandyClientOptions.AutoReconnect"/> off.
/// </summary>
public sealed class CandyClientException : Exception
{
    /// <summary>A failure without an HTTP status or close status.</summary>
    public CandyClientException(string message)
        : base(message)
    {
    }

    /// <summary>A failure caused by <paramref name="innerException"/>.</summary>
    public CandyClientException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An exception for serializers and tools; prefer the constructors with a message.</summary>
    public CandyClientException()
    {
    }

    internal CandyClientException(string message, HttpStatusCode? statusCode, WebSocketCloseStatus? closeStatus, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        CloseStatus = closeStatus;
    }

    /// <summary>The HTTP status the server answered the connection with, when it refused it.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The WebSocket close status, when the server closed the socket for a reason retrying cannot fix.</summary>
    public WebSocketCloseStatus? CloseStatus { get; }
}
