using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Channels.Site;

/// <summary>Registers the test site's authorizer.</summary>
internal sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton<IChannelAuthorizer, SecretChannels>();
}
