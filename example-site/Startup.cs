using CandyPack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExampleSite;

/// <summary>The site's own services: the stats publisher behind the dashboard and the per-user channel rule.</summary>
public sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ServerStats>();
        services.AddSingleton<IChannelAuthorizer, UserChannels>();
    }
}
