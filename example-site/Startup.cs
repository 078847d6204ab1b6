using CandyPack;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExampleSite;

/// <summary>
/// The site's own services: the stats publisher behind the dashboard, the per-user channel rule, and cookie sign-in
/// for the chat (<c>POST /chat/login</c>), which makes <c>candy.User</c> the signed-in name.
/// </summary>
public sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ServerStats>();
        services.AddSingleton<IChannelAuthorizer, UserChannels>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "candy-chat";
                options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
    }
}
