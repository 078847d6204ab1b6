namespace CandyPack;

/// <summary>
/// Decides who may subscribe to which channel. Register one or more in the site's container (in an
/// <see cref="ISiteStartup"/>, as singletons); every <c>candy.Stream(candy.Channel(name))</c> asks each of them, and
/// a refusal answers 403 Forbidden before the stream opens.
/// </summary>
/// <example>
/// A user may only listen to their own notifications:
/// <code>
/// public bool CanSubscribe(Candy candy, string channel) =>
///     !channel.StartsWith("user:", StringComparison.Ordinal) || channel == "user:" + candy.Cookie("user");
/// </code>
/// </example>
public interface IChannelAuthorizer
{
    /// <summary><see langword="true"/> when the request may subscribe to <paramref name="channel"/>.</summary>
    /// <param name="candy">The subscribing request: its route values, cookies, headers.</param>
    /// <param name="channel">The channel's name.</param>
    bool CanSubscribe(Candy candy, string channel);
}
