namespace CandyPack;

/// <summary>The channel half of the facade: <c>candy.Channel(name)</c> to publish, <c>candy.Stream(channel)</c> to subscribe.</summary>
public sealed partial class Candy
{
    /// <summary>The query parameter that stands in for the <c>Last-Event-ID</c> header, which a new <c>EventSource</c> cannot set.</summary>
    private const string LastEventIdQuery = "lastEventId";

    /// <summary>The site's channel called <paramref name="name"/>: <c>candy.Channel("orders").Publish(order)</c>.</summary>
    /// <exception cref="ArgumentException">The name is empty, longer than 200 characters or has control characters.</exception>
    public CandyChannel Channel(string name) => _site.Channels.Channel(name);

    /// <summary>
    /// Subscribes this request to <paramref name="channel"/> until the client leaves. A client that reconnects with
    /// <c>Last-Event-ID</c> (or <c>?lastEventId=</c>) first receives the messages it missed, then live ones; one whose
    /// id is older than the history gets a <c>reset</c> event.
    /// </summary>
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">An <see cref="IChannelAuthorizer"/> refused the subscription (403).</exception>
    /// <exception cref="InvalidOperationException">A regular response or another stream was already started.</exception>
    public CandyStream Stream(CandyChannel channel) => Stream(channel, 0);

    /// <summary>
    /// Subscribes this request to <paramref name="channel"/> as <see cref="Stream(CandyChannel)"/> does; a client that
    /// connects without a last id first receives up to <paramref name="recent"/> of the newest messages this instance
    /// keeps in the channel's history (within <c>historyAge</c>), with their ids, then live ones: a chat page that joins
    /// late shows the last lines.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="recent"/> is negative.</exception>
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">An <see cref="IChannelAuthorizer"/> refused the subscription (403).</exception>
    /// <exception cref="InvalidOperationException">A regular response or another stream was already started.</exception>
    public CandyStream Stream(CandyChannel channel, int recent)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfNegative(recent);
        if (!ReferenceEquals(channel.Hub, _site.Channels))
        {
            throw new ArgumentException($"Channel '{channel.Name}' belongs to another site; take it from this request's candy.Channel(name).", nameof(channel));
        }

        _site.Channels.Authorize(this, channel);

        // Subscribed before the stream starts: once the client has the response headers, it receives every message.
        var stream = Begin();
        _site.Channels.Subscribe(stream, channel, Header("Last-Event-ID") ?? NullIfEmpty(HttpContext.Request.Query[LastEventIdQuery].ToString()), recent);
        return stream.Started();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
