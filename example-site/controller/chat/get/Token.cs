using CandyPack;

namespace ExampleSite.Controller.Chat.Get;

/// <summary>
/// GET /chat/token: a subscribe token for the chat, valid for a minute, for a client that cannot send the cookie with its
/// stream (another origin, a native app): it opens <c>/chat/stream?token=...</c>. 401 when not signed in.
/// </summary>
public sealed class Token : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        if (candy.User.Identity?.IsAuthenticated != true)
        {
            candy.Abort(401, "Sign in first: POST /chat/login {\"name\": \"...\"}.");
            return null;
        }

        return new { token = candy.Channel(ChatRoom.Channel).Token(candy.User, TimeSpan.FromMinutes(1)) };
    }
}
