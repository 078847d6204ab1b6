using CandyPack;

namespace ExampleSite.Controller.Api.Delete;

/// <summary>DELETE /api/posts/{id}: removes the post, or 404.</summary>
public sealed class Posts : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        if (!long.TryParse(candy.Request("id"), out var id) || await candy.Mysql.Table("posts").Where(id).Delete() == 0)
        {
            candy.Abort(404, $"No post {candy.Request("id")}");
            return null;
        }

        return new { deleted = id };
    }
}
