using CandyPack.Benchmarks.Servers;

namespace CandyPack.Benchmarks.Site.Controller.Json.Get;

/// <summary>GET /json/controller: the same body as the inline /json route, through a controller and <c>candy.Return</c>.</summary>
internal sealed class Index : IController
{
    public Task Handle(Candy candy)
    {
        candy.Return(Workload.Greeting());
        return Task.CompletedTask;
    }
}
