using System.Security.Claims;

namespace CandyPack.Identity;

/// <summary>The one rule for which user a principal is: presence, per-user limits and tokens all key on it.</summary>
internal static class UserIds
{
    /// <summary>
    /// The user's id: the <see cref="ClaimTypes.NameIdentifier"/> claim, else the identity's name; <see langword="null"/>
    /// for an anonymous principal, which presence and per-user limits leave out.
    /// </summary>
    public static string? Of(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        var id = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? identity.Name;
        return string.IsNullOrEmpty(id) ? null : id;
    }
}
