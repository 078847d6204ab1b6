using CandyPack;

namespace ExampleSite;

/// <summary>
/// The authorization hook of the per-user notifications: channel "user:{name}" may only be subscribed to by that
/// user. Who the user is comes from the "user" cookie here; a real site would read its session.
/// </summary>
public sealed class UserChannels : IChannelAuthorizer
{
    private const string Prefix = "user:";

    public static string For(string user) => Prefix + user;

    public bool CanSubscribe(Candy candy, string channel) =>
        !channel.StartsWith(Prefix, StringComparison.Ordinal) || channel.AsSpan(Prefix.Length).SequenceEqual(candy.Cookie("user"));
}
