using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Api.Site;

/// <summary>Authenticates by the <c>X-User</c> header; the policy "publishers" lets the user "publisher" in.</summary>
internal sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(HeaderAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
        services.AddAuthorization(options => options.AddPolicy("publishers", policy => policy.RequireUserName("publisher")));
    }
}
