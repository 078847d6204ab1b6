using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Identity;

/// <summary>
/// Runs ASP.NET Core authentication for a routed request of a site that configured it, as the authentication middleware
/// would: the site's own services answer the request (so sign-in and sign-out reach its handlers), and the default
/// scheme's principal becomes <see cref="HttpContext.User"/>.
/// </summary>
internal static class SiteAuthentication
{
    /// <summary>True when the site registered authentication in its <see cref="ISiteStartup"/>.</summary>
    public static bool IsConfigured(IServiceProvider services) => services.GetService(typeof(IAuthenticationSchemeProvider)) is not null;

    public static async Task AuthenticateAsync(HttpContext context)
    {
        var schemes = (IAuthenticationSchemeProvider)context.RequestServices.GetService(typeof(IAuthenticationSchemeProvider))!;
        if (await schemes.GetDefaultAuthenticateSchemeAsync() is not { } scheme)
        {
            // Authentication without a default scheme: the site authenticates where it chooses, with candy.HttpContext.
            return;
        }

        var result = await context.AuthenticateAsync(scheme.Name);
        if (result.Succeeded)
        {
            context.User = result.Principal;
        }
    }
}
