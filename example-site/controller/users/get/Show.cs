using CandyPack;

namespace ExampleSite.Controller.Users.Get;

/// <summary>GET /users/{id}: a regular JSON response, 404 when there is no such user.</summary>
public sealed class Show : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        var id = candy.Request("id");
        var user = long.TryParse(id, out var number)
            ? await candy.Mysql.Table("users").Select("id", "name", "email").Where(number).First()
            : null;
        if (user is null)
        {
            candy.Abort(404, $"No user {id}");
            return null;
        }

        return user;
    }
}
