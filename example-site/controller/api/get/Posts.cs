using CandyPack;

namespace ExampleSite.Controller.Api.Get;

/// <summary>
/// GET /api/posts: a JSON list. <c>?user=2</c> filters by author, <c>?q=word</c> searches titles,
/// <c>?order=asc|desc</c> sorts by id (newest first by default), <c>?limit=n</c> caps the list (10 by default, 100 at most).
/// </summary>
public sealed class Posts : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        var query = candy.Mysql.Table("posts")
            .Select("id", "user_id AS userId", "title", "body", "published", "tags", "created_at AS createdAt");

        if (candy.Request("user") is { Length: > 0 } user)
        {
            if (!long.TryParse(user, out var userId))
            {
                candy.Abort(400, "user must be a number");
                return null;
            }

            query.Where("user_id", userId);
        }

        if (candy.Request("q") is { Length: > 0 } search)
        {
            query.Where("title", "LIKE", $"%{search}%");
        }

        var order = candy.Request("order") ?? "desc";
        if (order is not ("asc" or "desc"))
        {
            candy.Abort(400, "order must be asc or desc");
            return null;
        }

        var limit = int.TryParse(candy.Request("limit"), out var n) ? Math.Clamp(n, 1, 100) : 10;
        return await query.Order("id", order).Limit(limit).Get();
    }
}
