using CandyPack.Benchmarks.Servers;

namespace CandyPack.Benchmarks.Site.Route;

/// <summary>The CandyPack side of every scenario, as a site would write it; the baseline maps the same paths.</summary>
internal sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get("/generator", candy =>
        {
            var count = Workload.Count(candy.Request("n"));
            return candy.Stream(token => Workload.Items(count, token));
        });
        Route.Get("/subscribe", candy => CandyChannelBroadcast.Shared.Subscribe(candy));
        Route.Get("/subscribe/handles", candy => CandyHandleBroadcast.Shared.Subscribe(candy));
        Route.Get("/idle", candy =>
        {
            var stream = candy.Stream();
            stream.Send("open");
            return stream;
        });
        Route.Get("/json", candy => Workload.Greeting());
        Route.Get("/json/controller", "json");
    }
}
