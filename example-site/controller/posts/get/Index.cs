using System.Runtime.CompilerServices;
using CandyPack;

namespace ExampleSite.Controller.Posts.Get;

/// <summary>GET /posts: pagination, ten posts a page from the posts table, until a page comes back empty.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        candy.Stream(Posts);

        async IAsyncEnumerable<object> Posts([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var page = 1;
            var hasMore = true;

            while (hasMore)
            {
                var posts = await candy.Mysql.Table("posts")
                    .Select("id", "title", "user_id AS userId")
                    .Order("id")
                    .Limit(10)
                    .Offset((page - 1) * 10)
                    .Get(cancellationToken);

                if (posts.Count == 0)
                {
                    hasMore = false;
                }
                else
                {
                    foreach (var post in posts)
                    {
                        yield return post;
                    }

                    page++;
                }
            }
        }
    }
}
