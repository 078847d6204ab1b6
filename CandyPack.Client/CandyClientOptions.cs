using System.Text.Json;

namespace CandyPack.Client;

/// <summary>How a <see cref="CandyClient"/> connects and reconnects; shared by every stream it opens.</summary>
public sealed class CandyClientOptions
{
    /// <summary>The transport; <see cref="CandyTransport.Auto"/> (WebSocket, else SSE) by default.</summary>
    public CandyTransport Transport { get; set; } = CandyTransport.Auto;

    /// <summary>
    /// Whether a stream that drops (a network error, a 5xx, the server closing without <c>end</c>) is opened again,
    /// resuming after the last message's id. <see langword="true"/> by default; <see langword="false"/> ends the
    /// enumeration with a <see cref="CandyClientException"/> instead.
    /// </summary>
    public bool AutoReconnect { get; set; } = true;

    /// <summary>The wait before the first reconnect, unless the server sent a <c>retry</c> hint, which wins. 3 s by default.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest wait once failures in a row have doubled the delay. 30 s by default.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How message data is read into <c>T</c>; <see cref="JsonSerializerDefaults.Web"/> by default, as the server writes it.</summary>
    public JsonSerializerOptions JsonOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>Called with the failure each time a connection fails or drops and the client is going to try again.</summary>
    public Action<Exception>? OnRetry { get; set; }

    /// <summary>The clock the reconnect delays wait on; the system's by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (ReconnectDelay < TimeSpan.Zero || MaxReconnectDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectDelay), $"ReconnectDelay ({ReconnectDelay}) and MaxReconnectDelay ({MaxReconnectDelay}) cannot be negative.");
        }

        if (!Enum.IsDefined(Transport))
        {
            throw new ArgumentOutOfRangeException(nameof(Transport), Transport, "Transport must be Auto, WebSocket or Sse.");
        }

        ArgumentNullException.ThrowIfNull(JsonOptions);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
