using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace CandyPack.Tests.Identity.Site;

/// <summary>JWT bearer authentication as the README shows it, with a signing key in place of an authority to fetch keys from.</summary>
internal sealed class Startup : ISiteStartup
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = BearerSite.Issuer,
                    ValidAudience = BearerSite.Audience,
                    IssuerSigningKey = BearerSite.Key,
                    NameClaimType = "name",
                    ClockSkew = TimeSpan.Zero,
                };
            });
}
