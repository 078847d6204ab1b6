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
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">
    /// The request's subscribe token (<c>?token=</c>) is altered, expired or for another channel (401), the channel's
    /// namespace takes no anonymous subscribers (401), an <see cref="IChannelAuthorizer"/> refused the subscription (403),
    /// or the channel has its namespace's <c>maxSubscribers</c> on this instance (503).
    /// </exception>
    /// <exception cref="InvalidOperationException">A regular response or another stream was already started.</exception>
    public CandyStream Stream(CandyChannel channel) => Stream(channel, (SubscribeOptions?)null);

    /// <summary>
    /// Subscribes this request to <paramref name="channel"/> as <see cref="Stream(CandyChannel)"/> does; a client that
    /// connects without a last id first receives up to <paramref name="recent"/> of the newest messages of the channel's
    /// history (within <c>historyAge</c>; with Redis, its shared stream), with their ids, then live ones: a chat page that
    /// joins late shows the last lines.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="recent"/> is negative.</exception>
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">
    /// The channel's namespace takes no anonymous subscribers (401), an <see cref="IChannelAuthorizer"/> refused the
    /// subscription (403), or the channel has its namespace's <c>maxSubscribers</c> here (503).
    /// </exception>
    /// <exception cref="InvalidOperationException">A regular response or another stream was already started.</exception>
    public CandyStream Stream(CandyChannel channel, int recent) => Stream(channel, new SubscribeOptions { Recent = recent });

    /// <summary>
    /// Subscribes this request to <paramref name="channel"/> as <see cref="Stream(CandyChannel)"/> does, with presence
    /// options (the info shown for this connection, and whether it receives <c>join</c> and <c>leave</c> events) and the
    /// number of recent messages a new client receives first.
    /// </summary>
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">
    /// The subscribe token is not valid here or the namespace takes no anonymous subscribers (401), an authorizer refused
    /// (403), or the channel is full here (503, <c>maxSubscribers</c>).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The options ask for presence on a channel that keeps none, or a response was already started.
    /// </exception>
    /// <exception cref="ArgumentException">The info object is larger than 1 KB as JSON.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SubscribeOptions.Recent"/> is negative.</exception>
    public CandyStream Stream(CandyChannel channel, SubscribeOptions? options)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var recent = options?.Recent ?? 0;
        ArgumentOutOfRangeException.ThrowIfNegative(recent, "options.Recent");
        if (!ReferenceEquals(channel.Hub, _site.Channels))
        {
            throw new ArgumentException($"Channel '{channel.Name}' belongs to another site; take it from this request's candy.Channel(name).", nameof(channel));
        }

        var request = HttpContext.Request;
        if (request.Query.TryGetValue(Identity.SubscribeTokens.Query, out var token) && token.Count > 0)
        {
            // The token speaks for this channel only, so it becomes the request's user here, before the authorizers ask.
            HttpContext.User = _site.Channels.Tokens.Validate(token.ToString(), channel.Name);
        }

        _site.Channels.Authorize(this, channel);
        var presence = _site.Channels.PrepareSubscription(channel.Name, options, User);

        // Subscribed before the stream starts: once the client has the response headers, it receives every message.
        var stream = Begin();
        try
        {
            _site.Channels.Subscribe(stream, channel, Header("Last-Event-ID") ?? NullIfEmpty(request.Query[LastEventIdQuery].ToString()), presence, recent);
        }
        catch
        {
            Abandon(stream);
            throw;
        }

        return stream.Started();
    }

    /// <summary>
    /// Gives back a stream that failed before <see cref="CandyStream.Started"/>: it releases what it held, and the request
    /// answers with the failure as a regular response, since no byte of the stream was sent.
    /// </summary>
    private void Abandon(CandyStream stream)
    {
        ActiveStream = null;
        stream.Abandon();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
