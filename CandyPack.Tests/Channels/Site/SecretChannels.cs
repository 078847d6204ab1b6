namespace CandyPack.Tests.Channels.Site;

/// <summary>"secret:" channels are only for requests that send <c>X-Allow: yes</c>.</summary>
internal sealed class SecretChannels : IChannelAuthorizer
{
    public bool CanSubscribe(Candy candy, string channel) =>
        !channel.StartsWith("secret:", StringComparison.Ordinal) || candy.Header("X-Allow") == "yes";
}
