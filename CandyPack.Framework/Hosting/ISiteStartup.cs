using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack;

/// <summary>
/// Optional: a class in the site implementing this adds the site's own services before controllers are created.
/// Registering a <see cref="System.Text.Json.JsonSerializerOptions"/> singleton replaces the web defaults used for
/// JSON responses and stream messages.
/// </summary>
public interface ISiteStartup
{
    /// <summary>Adds services to the site's container.</summary>
    /// <param name="services">The site's service collection.</param>
    /// <param name="configuration">The site's configuration (config.json, .env, CANDY_ variables).</param>
    void ConfigureServices(IServiceCollection services, IConfiguration configuration);
}
