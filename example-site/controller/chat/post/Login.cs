using System.Security.Claims;
using CandyPack;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ExampleSite.Controller.Chat.Post;

/// <summary>
/// POST /chat/login <c>{"name": "ann"}</c>: signs the browser in under that name with the site's authentication cookie,
/// so two browsers are two users in the chat's presence. A demo: there is no password.
/// </summary>
public sealed class Login : IController<object?>
{
    private const int MaxName = 32;

    public async Task<object?> Handle(Candy candy)
    {
        var name = candy.Request("name")?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxName || !name.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.'))
        {
            candy.Abort(400, $"Send a name of 1 to {MaxName} letters, digits, spaces, '-', '_' or '.', as {{\"name\": \"ann\"}}.");
            return null;
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, name), new Claim(ClaimTypes.Name, name)], CookieAuthenticationDefaults.AuthenticationScheme);
        await candy.HttpContext.SignInAsync(new ClaimsPrincipal(identity));
        return new { name };
    }
}
