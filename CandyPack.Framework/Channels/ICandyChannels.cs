namespace CandyPack;

/// <summary>
/// The site's channels, for code outside a request: take it in a constructor (it is registered in every site's
/// container) and publish from a background service, a timer or a queue consumer. In a request,
/// <see cref="Candy.Channel(string)"/> is the same thing.
/// </summary>
public interface ICandyChannels
{
    /// <summary>The channel called <paramref name="name"/>; it exists once something publishes to it or subscribes.</summary>
    /// <exception cref="ArgumentException">The name is empty, longer than 200 characters or has control characters.</exception>
    CandyChannel Channel(string name);
}
