using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Namespaces.Site;

/// <summary>Requests are the user their <c>X-User</c> header names; "closed:" channels are behind <see cref="ClosedChannels"/>.</summary>
internal sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(HeaderAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
        services.AddSingleton<IChannelAuthorizer, ClosedChannels>();
    }
}
