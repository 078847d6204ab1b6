using CandyPack.Channels;
using CandyPack.Streaming;

namespace CandyPack;

/// <summary>
/// A named channel: <see cref="Publish"/> sends a message to every subscriber, and
/// <c>candy.Stream(candy.Channel(name))</c> subscribes a request. Messages get increasing ids and the channel keeps
/// a bounded history, so a client that reconnects with <c>Last-Event-ID</c> receives what it missed.
/// </summary>
/// <remarks>
/// With <c>"redis"</c> in config.json, messages reach the subscribers of every host instance that shares the
/// Redis server, and the history lives in a Redis stream. Get a channel from <see cref="Candy.Channel(string)"/> or
/// <see cref="ICandyChannels"/>; handles are cheap and safe to share across threads.
/// </remarks>
public sealed class CandyChannel
{
    private ChannelState? _state;

    /// <summary>A handle by name only: nothing is held for the channel until it is published to or subscribed.</summary>
    internal CandyChannel(ChannelHub hub, string name)
    {
        Hub = hub;
        Name = name;
    }

    internal CandyChannel(ChannelHub hub, ChannelState state)
    {
        Hub = hub;
        Name = state.Name;
        _state = state;
    }

    /// <summary>The channel's name.</summary>
    public string Name { get; }

    /// <summary>How many requests on this host instance are subscribed now.</summary>
    public int LocalSubscribers => Hub.TryGet(Name, out var state) && !state.Retired ? state.SubscriberCount : 0;

    internal ChannelHub Hub { get; }

    /// <summary>
    /// The channel's live state, made on first use (a publish or an authorised subscription): a handle kept past an idle
    /// channel's removal follows the name to its new state.
    /// </summary>
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">The site holds <c>channels.maxChannels</c> channels (503).</exception>
    internal ChannelState State
    {
        get
        {
            var state = Volatile.Read(ref _state);
            if (state is null || state.Retired)
            {
                state = Hub.Open(Name);
                Volatile.Write(ref _state, state);
            }

            return state;
        }
    }

    /// <summary>
    /// Sends <paramref name="data"/> (a string as it is, anything else as JSON) to every subscriber, framed once, and
    /// keeps it in the history.
    /// </summary>
    /// <param name="data">The message.</param>
    /// <param name="eventName">An event name (the client's <c>addEventListener(name)</c>); none for the default <c>message</c>.</param>
    /// <returns>The message's id, as clients see it in <c>lastEventId</c>.</returns>
    /// <exception cref="ArgumentException">The event name has a line break, or is <c>end</c> or <c>reset</c>, which the framework uses.</exception>
    /// <exception cref="NotSupportedException">The data cannot be serialised to JSON; nothing was sent.</exception>
    /// <exception cref="Microsoft.AspNetCore.Http.BadHttpRequestException">
    /// Status 503 (the request answers 503 with <c>Retry-After</c>), nothing sent: the channel is new here and the site
    /// holds <c>channels.maxChannels</c> channels with subscribers or history; or 10,000 messages (16 MiB) still wait to
    /// reach the channel's subscribers on this instance; or Redis is away and the channel already holds 10,000 messages
    /// for it. Publish again later.
    /// </exception>
    public Task<string> Publish(object? data, string? eventName = null)
    {
        StreamEvents.Validate(eventName, id: null);
        if (eventName is Channels.Presence.ChannelPresence.Join or Channels.Presence.ChannelPresence.Leave && Hub.Presence?.IsEnabled(Name) == true)
        {
            throw new ArgumentException($"Channel '{Name}' keeps presence, so the event names 'join' and 'leave' are its own. Choose another name.", nameof(eventName));
        }

        return Hub.PublishAsync(State, data, eventName);
    }

    /// <summary>
    /// Who is subscribed now, one entry per authenticated user (anonymous subscribers are not listed), across every host
    /// instance when Redis is configured. An instance that dies drops out within <c>channels.presenceTimeout</c> seconds.
    /// </summary>
    /// <exception cref="InvalidOperationException">The channel keeps no presence: neither its namespace nor <c>channels.presence</c> in config.json gives it.</exception>
    public Task<IReadOnlyList<PresenceMember>> Presence()
    {
        var presence = Hub.Presence ?? throw new InvalidOperationException($"The channels of site {Hub.Site} have not started yet.");
        if (!presence.IsEnabled(Name))
        {
            throw new InvalidOperationException($"Channel '{Name}' keeps no presence. {presence.HowToEnable(Name)}");
        }

        return presence.ListAsync(Name);
    }

    /// <summary>
    /// Issues a short-lived subscribe token for <paramref name="user"/> and this channel only. A stream request carrying it
    /// as <c>?token=</c> (an <c>EventSource</c> cannot send an <c>Authorization</c> header) is that user when it subscribes
    /// here; an altered, expired or other-channel token gets 401. Signed with the site's Data Protection keys, which
    /// instances share through Redis when it is configured.
    /// </summary>
    /// <param name="user">The authenticated user, usually <c>candy.User</c>.</param>
    /// <param name="lifetime">How long the token is accepted: more than zero, at most a day; a minute or so is typical.</param>
    /// <returns>The token, safe to put in a URL.</returns>
    /// <exception cref="ArgumentException">The user is anonymous.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The lifetime is not positive or longer than a day.</exception>
    public string Token(System.Security.Claims.ClaimsPrincipal user, TimeSpan lifetime) => Hub.Tokens.Issue(Name, user, lifetime);

    /// <summary>The channel's name.</summary>
    public override string ToString() => Name;
}
