using System.Text;

namespace CandyPack.Tests.TestSites.Good.Route;

/// <summary>Every target form, parameters, each Return type, request values and limits.</summary>
public sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/hello", "hello");
        Route.Post("/hello", "hello");
        Route.Get("/fetch", "data.fetch");
        Route.Get("/", "index");
        Route.Get("/items/{id}", "items.show");
        Route.Get("/injected", "injected");
        Route.Get("/info", candy => new { candy.Route.Pattern, candy.Route.Target, candy.Route.Subdomain, Method = candy.Route.Method });

        Route.Get("/return/string", candy => candy.Return("<b>hi</b>"));
        Route.Get("/return/object", candy => candy.Return(new { id = 7, name = "seven" }));
        Route.Get("/return/bytes", candy => candy.Return(Encoding.ASCII.GetBytes("raw")));
        Route.Get("/return/null", candy => candy.Return(null));
        Route.Get("/return/created", candy => candy.Return(new { id = 1 }, 201));
        Route.Get("/return/value-string", candy => "returned");
        Route.Get("/return/value-object", async candy =>
        {
            await Task.Yield();
            return new { returned = true };
        });
        Route.Get("/return/both", candy =>
        {
            candy.Return("one");
            return "two";
        });
        Route.Get("/return/twice", candy =>
        {
            candy.Return("one");
            candy.Return("two");
        });
        Route.Get("/redirect", candy => candy.Redirect("/hello"));
        Route.Get("/abort", candy => candy.Abort(403, "Not for you"));
        Route.Get("/nothing", candy => { });

        Route.Get("/values", candy => new
        {
            q = candy.Request("q"),
            header = candy.Header("X-Test"),
            cookie = candy.Cookie("flavour"),
            ip = candy.Ip?.ToString(),
        });
        Route.Post("/values", candy => new { name = candy.Request("name"), count = candy.Request("count"), missing = candy.Request("missing") });
        Route.Post("/json", candy => candy.Json<Order>());
        Route.Get("/slow", async candy => await Task.Delay(TimeSpan.FromMinutes(5), candy.Aborted));
        Route.Get("/slow/ignores-token", async candy =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            return "late";
        });
        Route.Get("/throws", candy => throw new InvalidOperationException("the controller broke"));
        Route.Get("/input/channel", candy => candy.Channel(candy.Request("name") ?? string.Empty).Name);
        Route.Get("/input/order", candy => candy.Mysql.Table("items").Order(candy.Request("by") ?? string.Empty).ToString());
        Route.Get("/input/where", candy => candy.Mysql.Table("items").Where("id", candy.Request("op") ?? string.Empty, 1).ToString());
    }

    public sealed record Order(string Item, int Quantity);
}
