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
    private ChannelState _state;

    internal CandyChannel(ChannelHub hub, ChannelState state)
    {
        Hub = hub;
        _state = state;
    }

    /// <summary>The channel's name.</summary>
    public string Name => _state.Name;

    /// <summary>How many requests on this host instance are subscribed now.</summary>
    public int LocalSubscribers => State.SubscriberCount;

    internal ChannelHub Hub { get; }

    /// <summary>The channel's live state: a handle kept past an idle channel's removal follows the name to its new state.</summary>
    internal ChannelState State
    {
        get
        {
            var state = Volatile.Read(ref _state);
            if (state.Retired)
            {
                state = Hub.Channel(state.Name).State;
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
    public Task<string> Publish(object? data, string? eventName = null)
    {
        StreamEvents.Validate(eventName, id: null);
        return Hub.PublishAsync(State, data, eventName);
    }

    /// <summary>The channel's name.</summary>
    public override string ToString() => Name;
}
