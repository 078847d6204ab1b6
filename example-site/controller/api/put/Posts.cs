using CandyPack;

namespace ExampleSite.Controller.Api.Put;

/// <summary>PUT /api/posts/{id} with a JSON body of the fields to change (<c>title</c>, <c>body</c>, <c>published</c>): the updated post, or 404.</summary>
public sealed class Posts : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        var changes = new Dictionary<string, object?>();
        foreach (var field in new[] { "title", "body" })
        {
            if (candy.Request(field) is { } value)
            {
                changes[field] = value;
            }
        }

        if (candy.Request("published") is { } published)
        {
            changes["published"] = published is "true" or "1";
        }

        if (!long.TryParse(candy.Request("id"), out var id) || changes.Count == 0)
        {
            candy.Abort(400, "a numeric id and at least one of title, body, published are required");
            return null;
        }

        var posts = candy.Mysql.Table("posts");
        if (await posts.Where(id).Set(changes) == 0)
        {
            candy.Abort(404, $"No post {id}");
            return null;
        }

        return await candy.Mysql.Table("posts").Where(id).First();
    }
}
