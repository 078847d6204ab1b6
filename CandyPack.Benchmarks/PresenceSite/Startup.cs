using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Benchmarks.PresenceSite;

/// <summary>The presence site authenticates as a site does, in its startup: here by <see cref="QueryUserAuthentication"/>.</summary>
internal sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddAuthentication(QueryUserAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, QueryUserAuthentication>(QueryUserAuthentication.Name, null);
}
