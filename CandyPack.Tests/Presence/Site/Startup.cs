using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Presence.Site;

/// <summary>The presence test site authenticates every request by its <c>X-User</c> header (<see cref="HeaderAuthentication"/>).</summary>
internal sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddAuthentication(HeaderAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
}
