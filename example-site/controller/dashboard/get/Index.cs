using CandyPack;

namespace ExampleSite.Controller.Dashboard.Get;

/// <summary>GET /dashboard/stream: the live dashboard's feed, server stats published every second by <see cref="ServerStats"/>.</summary>
public sealed class Index(ServerStats stats) : IController
{
    public async Task Handle(Candy candy)
    {
        stats.Start();
        candy.Stream(candy.Channel(ServerStats.Channel));
    }
}
