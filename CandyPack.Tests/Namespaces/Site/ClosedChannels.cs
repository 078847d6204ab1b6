namespace CandyPack.Tests.Namespaces.Site;

/// <summary>"closed:" channels are only for requests that send <c>X-Allow: yes</c>.</summary>
internal sealed class ClosedChannels : IChannelAuthorizer
{
    public bool CanSubscribe(Candy candy, string channel) =>
        !channel.StartsWith("closed:", StringComparison.Ordinal) || candy.Header("X-Allow") == "yes";
}
