using CandyPack;

namespace ExampleSite.Controller.Api.Post;

/// <summary>POST /api/posts with a JSON body <c>{ "userId": 1, "title": "…", "body": "…" }</c>: creates a post, 201 with its id.</summary>
public sealed class Posts : IController
{
    public async Task Handle(Candy candy)
    {
        var title = candy.Request("title");
        if (string.IsNullOrWhiteSpace(title) || !long.TryParse(candy.Request("userId"), out var userId))
        {
            candy.Abort(400, "userId (a number) and title are required");
            return;
        }

        var result = await candy.Mysql.Table("posts").Insert(new
        {
            user_id = userId,
            title,
            body = candy.Request("body") ?? string.Empty,
        });

        candy.Return(new { id = result.Id }, 201);
    }
}
