using CandyPack;

namespace ExampleSite.Controller.Monitor.Get;

/// <summary>GET /monitor: full control through the stream handle.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        var interval = Interval.Of(candy);
        var stream = candy.Stream();

        stream.Send(new { type = "connected" });

        var timer = new Timer(_ => stream.Send(new { time = Interval.Now }), null, interval, interval);

        stream.On("close", () => timer.Dispose());
    }
}
