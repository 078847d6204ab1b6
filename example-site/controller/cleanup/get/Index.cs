using CandyPack;

namespace ExampleSite.Controller.Cleanup.Get;

/// <summary>GET /cleanup: the callback returns its cleanup, which runs once when the stream closes.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        var interval = Interval.Of(candy);
        candy.Stream((send, close) =>
        {
            send(new { type = "connected" });

            var timer = new Timer(_ => send(new { time = Interval.Now }), null, interval, interval);

            // Return cleanup function
            return () => timer.Dispose();
        });
    }
}
