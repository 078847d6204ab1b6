using System.Security.Claims;
using System.Security.Cryptography;
using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CandyPack.Tests.Identity.Site;

/// <summary>
/// A site that authenticates with JWT bearer tokens (ASP.NET Core's JwtBearer handler), the way an API behind an
/// identity provider does; the tests play the provider, signing tokens with the key the site trusts.
/// </summary>
internal static class BearerSite
{
    public const string Issuer = "https://login.test.example/";
    public const string Audience = "candy-bearer-site";

    /// <summary>The key the site validates signatures with (made once per test run).</summary>
    public static SymmetricSecurityKey Key { get; } = new(RandomNumberGenerator.GetBytes(32));

    public static SiteDefinition Definition() =>
        new(Repository.TestSite("bearer"), typeof(BearerSite).Assembly, typeof(BearerSite).Namespace);

    /// <summary>A signed token for the user <paramref name="subject"/> called <paramref name="name"/>, valid for <paramref name="lifetime"/>.</summary>
    public static string TokenFor(string subject, string name, TimeSpan lifetime, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("name", name)]),
            NotBefore = now.AddMinutes(-5),
            IssuedAt = now.AddMinutes(-5),
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
