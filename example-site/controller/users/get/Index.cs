using System.Runtime.CompilerServices;
using CandyPack;

namespace ExampleSite.Controller.Users.Get;

/// <summary>GET /users: an async generator, a message per user.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        candy.Stream(Users);

        static async IAsyncEnumerable<object> Users([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var users = await SampleData.FetchUsersAsync(cancellationToken);

            foreach (var user in users)
            {
                yield return user;
            }
        }
    }
}
