using System.Runtime.CompilerServices;
using CandyPack;

namespace ExampleSite.Controller.Users.Get;

/// <summary>GET /users: an async generator over the users table, a message per user.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        candy.Stream(Users);

        async IAsyncEnumerable<object> Users([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var users = await candy.Mysql.Table("users").Select("id", "name", "email").Get(cancellationToken);

            foreach (var user in users)
            {
                yield return user;
            }
        }
    }
}
