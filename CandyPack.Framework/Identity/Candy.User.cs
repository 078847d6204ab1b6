using System.Security.Claims;

namespace CandyPack;

/// <summary>The identity half of the facade: who the request is from.</summary>
public sealed partial class Candy
{
    /// <summary>
    /// The request's user, as ASP.NET Core authentication found it: the site configures cookie, JWT bearer or any other
    /// scheme in an <see cref="ISiteStartup"/> (<c>services.AddAuthentication(...)</c>), and its default scheme
    /// authenticates every routed request. An anonymous request has a principal with no authenticated identity.
    /// </summary>
    /// <remarks>
    /// A stream subscribing with a subscribe token (<c>?token=</c>, see <see cref="CandyChannel.Token"/>) is that
    /// token's user from <c>candy.Stream(channel)</c> on: the token speaks for its channel only, so it changes nothing
    /// before the subscription.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The response already ended (see <see cref="Candy"/>).</exception>
    public ClaimsPrincipal User => Live().User;
}
