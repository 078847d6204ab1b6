using CandyPack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifecycleSite;

/// <summary>Fails on purpose when config.json says <c>"failure": "startup"</c>.</summary>
public sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration["failure"] == "startup")
        {
            throw new InvalidOperationException("the site's startup failed on purpose");
        }
    }
}
