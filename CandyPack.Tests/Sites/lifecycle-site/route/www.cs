using CandyPack;
using Microsoft.Extensions.Configuration;

namespace LifecycleSite.Route;

// A site for reload tests: "build" in config.json names the build, "failure" makes it fail to load on purpose.
public sealed class Www(IConfiguration configuration) : RouteFile
{
    protected override void Map()
    {
        var build = configuration["build"] ?? "1";
        Route.Get("/build", candy => build);
        Route.Post("/notes", async candy =>
        {
            var inserted = await candy.Mysql.Table("notes").Insert(new Note { Title = "from build " + build, Tags = new NoteTags { FirstTag = "reload" } });
            return inserted.Id;
        });
        Route.Get("/notes", async candy => await candy.Mysql.Table("notes").Get<NoteRow>());
        Route.Get("/feed", candy => candy.Stream(candy.Channel("feed")));
        Route.Post("/feed", async candy => await candy.Channel("feed").Publish(new Note { Title = "published by build " + build }));
        if (configuration["failure"] == "route")
        {
            Route.Get("no-leading-slash", candy => "never served");
        }
    }
}
