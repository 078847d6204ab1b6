using System.Security.Claims;
using CandyPack.Channels.Presence;
using CandyPack.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Channels;

/// <summary>The hub's identity parts: subscribe tokens and presence.</summary>
internal sealed partial class ChannelHub
{
    private ChannelPresence? _presence;
    private SubscribeTokens? _tokens;

    /// <summary>The site's presence; <see langword="null"/> until <see cref="Start"/>.</summary>
    public ChannelPresence? Presence => _presence;

    public SubscribeTokens Tokens => _tokens ?? throw new InvalidOperationException($"The channels of site {Site} have not started yet.");

    /// <summary>The presence part of a subscription, checked before its stream opens.</summary>
    /// <exception cref="InvalidOperationException">The options ask for presence on a channel that keeps none.</exception>
    /// <exception cref="ArgumentException">The info object is too large.</exception>
    public PresenceSubscription PrepareSubscription(string channel, SubscribeOptions? options, ClaimsPrincipal user)
    {
        if (_presence is not { } presence || !presence.IsEnabled(channel))
        {
            if (options is { JoinLeave: true } or { Info: not null })
            {
                throw new InvalidOperationException(
                    $"Channel '{channel}' keeps no presence, so it has no join/leave events and no connection info. Add it (or a pattern such as \"{channel}*\") to channels.presence in config.json.");
            }

            return PresenceSubscription.None;
        }

        return new PresenceSubscription(presence, UserIds.Of(user), presence.InfoOf(options?.Info), options?.JoinLeave != true);
    }

    private void StartIdentity(IServiceProvider services)
    {
        _tokens = new SubscribeTokens(services.GetRequiredService<IDataProtectionProvider>(), _time);
        _presence = new ChannelPresence(this, _options, _redis is { } redis ? () => redis.Database : null, _time);
    }
}
