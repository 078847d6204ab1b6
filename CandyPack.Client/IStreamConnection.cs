namespace CandyPack.Client;

/// <summary>One open connection of a stream, over either transport.</summary>
internal interface IStreamConnection : IAsyncDisposable
{
    /// <summary>The server's latest <c>retry</c> hint on this connection, if it sent one.</summary>
    TimeSpan? RetryHint { get; }

    /// <summary>The next message; <see langword="null"/> when the server closed the connection (without <c>end</c>: a drop).</summary>
    /// <exception cref="CandyClientException">The server closed it for a reason a reconnect cannot fix.</exception>
    Task<WireFrame?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Sends one text message; <see langword="false"/> when the connection cannot (it is closing, or SSE).</summary>
    ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken);

    /// <summary>Tells the server the client is leaving (a normal close), without waiting for its answer.</summary>
    Task CloseAsync();
}
