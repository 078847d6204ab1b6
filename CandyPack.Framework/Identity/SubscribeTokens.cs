using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Identity;

/// <summary>
/// Issues and checks subscribe tokens: a user's claims, one channel's name and an expiry, encrypted and signed with the
/// site's ASP.NET Core Data Protection keys (shared through Redis when the site configures it, so any instance accepts
/// a token another issued). A browser's <c>EventSource</c> cannot send an <c>Authorization</c> header; it puts the
/// token in the stream URL instead.
/// </summary>
internal sealed partial class SubscribeTokens(IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>The query parameter that carries a token.</summary>
    public const string Query = "token";

    /// <summary>The longest lifetime a token may have: it travels in URLs, so it should be short-lived.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    private readonly IDataProtector _protector = protection.CreateProtector("CandyPack.SubscribeToken.v1");

    public string Issue(string channel, ClaimsPrincipal user, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (UserIds.Of(user) is null)
        {
            throw new ArgumentException("A subscribe token is for an authenticated user; this principal has no authenticated identity.", nameof(user));
        }

        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A subscribe token lives more than zero and at most {MaxLifetime.TotalHours} hours.");
        }

        var identity = user.Identity!;
        var payload = new Payload(
            channel,
            time.GetUtcNow().Add(lifetime).ToUnixTimeMilliseconds(),
            identity.AuthenticationType,
            [.. user.Claims.Select(c => new[] { c.Type, c.Value })]);
        return _protector.Protect(JsonSerializer.Serialize(payload, PayloadJson.Default.Payload));
    }

    /// <summary>The token's user, when it is valid for <paramref name="channel"/> now.</summary>
    /// <exception cref="BadHttpRequestException">401: the token is tampered with, expired, or for another channel.</exception>
    public ClaimsPrincipal Validate(string token, string channel)
    {
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(_protector.Unprotect(token), PayloadJson.Default.Payload);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            throw Unauthorized("the subscribe token is not valid: it was altered, cut short, or signed with keys this site does not share. Ask for a new one.");
        }

        if (payload is null || payload.Claims is null)
        {
            throw Unauthorized("the subscribe token is not valid: it carries no user. Ask for a new one.");
        }

        if (!string.Equals(payload.Channel, channel, StringComparison.Ordinal))
        {
            throw Unauthorized($"the subscribe token was issued for channel '{payload.Channel}', not '{channel}'.");
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(payload.Expires);
        if (expires <= time.GetUtcNow())
        {
            throw Unauthorized($"the subscribe token expired at {expires:O}. Ask for a new one before reconnecting.");
        }

        var claims = payload.Claims.Where(c => c is { Length: 2 }).Select(c => new Claim(c[0], c[1]));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, payload.AuthenticationType ?? "SubscribeToken"));
    }

    private static BadHttpRequestException Unauthorized(string reason) =>
        new("Unauthorized: " + reason, StatusCodes.Status401Unauthorized);

    internal sealed record Payload(
        [property: JsonPropertyName("c")] string Channel,
        [property: JsonPropertyName("e")] long Expires,
        [property: JsonPropertyName("a")] string? AuthenticationType,
        [property: JsonPropertyName("k")] string[][]? Claims);

    [JsonSerializable(typeof(Payload))]
    internal sealed partial class PayloadJson : JsonSerializerContext;
}
