using System.Runtime.CompilerServices;
using CandyPack;

namespace ExampleSite.Controller.Posts.Get;

/// <summary>GET /posts: pagination, ten posts a page, until a page comes back empty.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        candy.Stream(Posts);

        static async IAsyncEnumerable<object> Posts([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var page = 1;
            var hasMore = true;

            while (hasMore)
            {
                var posts = await SampleData.PostsPageAsync(limit: 10, offset: (page - 1) * 10, cancellationToken);

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
