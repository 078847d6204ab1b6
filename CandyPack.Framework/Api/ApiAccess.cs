using System.Security.Cryptography;
using System.Text;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Api;

/// <summary>
/// Who may call the server API: a caller sending one of <c>api.keys</c> as <c>Authorization: apikey &lt;key&gt;</c>, or,
/// without a key, a request whose user (found by the site's own authentication) satisfies the site's <c>api.policy</c>.
/// Keys are compared in constant time and never logged or echoed.
/// </summary>
internal static class ApiAccess
{
    /// <summary>The <c>Authorization</c> scheme of an API key (Centrifugo's); <c>Bearer</c> stays free for the site's own tokens.</summary>
    public const string Scheme = "apikey";

    private const int MinKeyLength = 16;

    /// <summary>Checks the options at startup; the messages name the option, never a key's value.</summary>
    /// <exception cref="CandyStartupException">The API is on without a way in, a key is too short, or the body limit is not positive.</exception>
    public static void Validate(ApiOptions options, string site)
    {
        if (!options.Enabled)
        {
            return;
        }

        if (options.Keys.Count == 0 && string.IsNullOrWhiteSpace(options.Policy))
        {
            throw new CandyStartupException(
                $"Site {site}: api.enabled is true, but there is no api.keys entry and no api.policy. Give a key (in config.json, or CANDY_API__KEYS__0 in the environment), name an authorization policy, or leave the API off.");
        }

        for (var i = 0; i < options.Keys.Count; i++)
        {
            if (options.Keys[i] is not { Length: >= MinKeyLength } key || key.Trim().Length != key.Length)
            {
                throw new CandyStartupException(
                    $"Site {site}: api.keys[{i}] must have at least {MinKeyLength} characters and no leading or trailing spaces (a random one: openssl rand -hex 32).");
            }
        }

        if (options.MaxBodySize < 1)
        {
            throw new CandyStartupException($"Site {site}: api.maxBodySize must be at least 1 (it is {options.MaxBodySize}).");
        }
    }

    /// <summary>Checks that the site registers the policy <c>api.policy</c> names, once its services are built.</summary>
    /// <exception cref="CandyStartupException">The site registers no authorization, or no policy of that name.</exception>
    public static void ValidatePolicy(ApiOptions options, IServiceProvider services, string site)
    {
        if (!options.Enabled || string.IsNullOrWhiteSpace(options.Policy))
        {
            return;
        }

        var policies = services.GetService<IAuthorizationPolicyProvider>();
        if (policies?.GetPolicyAsync(options.Policy).GetAwaiter().GetResult() is null)
        {
            throw new CandyStartupException(
                $"Site {site}: api.policy is \"{options.Policy}\", but the site registers no authorization policy of that name (services.AddAuthorization(o => o.AddPolicy(...)) in its ISiteStartup).");
        }
    }

    /// <summary>Lets the request in, or answers why not.</summary>
    /// <returns><see langword="null"/> when the caller may go on; else the refusal (401, or 403 for a user the policy refuses).</returns>
    public static async Task<ApiError?> CheckAsync(HttpContext context, SiteRuntime site)
    {
        var options = site.Options.Api;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return IsKey(options.Keys, header.AsSpan(Scheme.Length + 1).Trim())
                ? null
                : new ApiError(StatusCodes.Status401Unauthorized, "Authorization", "The API key is not one of the keys in api.keys.");
        }

        if (!string.IsNullOrWhiteSpace(options.Policy))
        {
            return await CheckPolicyAsync(context, site, options.Policy);
        }

        return new ApiError(StatusCodes.Status401Unauthorized, "Authorization", $"Send an API key as \"Authorization: {Scheme} <key>\".");
    }

    /// <summary>
    /// Compares digests rather than the keys themselves, so neither the comparison's time nor an early length mismatch
    /// tells a caller how close it came; every key is compared, whichever matches.
    /// </summary>
    private static bool IsKey(IList<string> keys, ReadOnlySpan<char> given)
    {
        Span<byte> givenDigest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(given.ToArray()), givenDigest);
        var match = false;
        foreach (var key in keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(givenDigest, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return match;
    }

    /// <summary>Authenticates the request with the site's own scheme, as its routes are, and asks ASP.NET Core's authorization about the policy.</summary>
    private static async Task<ApiError?> CheckPolicyAsync(HttpContext context, SiteRuntime site, string policy)
    {
        var hostServices = context.RequestServices;
        await using var scope = site.Services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        try
        {
            if (site.Authenticates)
            {
                await Identity.SiteAuthentication.AuthenticateAsync(context);
            }

            var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
            if ((await authorization.AuthorizeAsync(context.User, context, policy)).Succeeded)
            {
                return null;
            }

            return context.User.Identity?.IsAuthenticated == true
                ? new ApiError(StatusCodes.Status403Forbidden, "Authorization", $"The authorization policy \"{policy}\" (api.policy) refused this user.")
                : new ApiError(StatusCodes.Status401Unauthorized, "Authorization", $"Send an API key as \"Authorization: {Scheme} <key>\", or sign in as a user that api.policy allows.");
        }
        finally
        {
            context.RequestServices = hostServices;
        }
    }
}
