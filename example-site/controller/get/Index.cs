using CandyPack;

namespace ExampleSite.Controller.Get;

/// <summary>GET /message: one JSON message (the guide's controller/get/index).</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy) => candy.Stream(new { message = "Hello", time = Interval.Now });
}
