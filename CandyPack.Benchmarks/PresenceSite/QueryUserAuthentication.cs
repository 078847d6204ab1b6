using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CandyPack.Benchmarks.PresenceSite;

/// <summary>
/// A benchmark-only shortcut, never for a real site: the <c>user</c> query parameter names the user, with no credential
/// check. It is a real ASP.NET Core authentication scheme, so <c>candy.User</c> comes to presence the way it does on a
/// site with cookies or JWT bearer, while 10,000 clients need no login round trip and no per-connection token
/// decryption (a subscribe token's cost belongs to the token, not to presence).
/// </summary>
internal sealed class QueryUserAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "QueryUser";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Query["user"].ToString();
        if (user.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
    }
}
