using CandyPack;

namespace ExampleSite.Controller.Callback.Get;

/// <summary>GET /callback: the callback pattern; the timer stops itself once send reports the stream closed.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        var interval = Interval.Of(candy);
        candy.Stream(send =>
        {
            send(new { type = "connected" });

            Timer? timer = null;
            timer = new Timer(_ =>
            {
                if (!send(new { time = Interval.Now }))
                {
                    timer?.Dispose();
                }
            }, null, interval, interval);
        });
    }
}
