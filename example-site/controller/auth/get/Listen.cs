using CandyPack;

namespace ExampleSite.Controller.Auth.Get;

/// <summary>GET /auth/listen: the status feed the guide's React hook example reads (<c>status?.message</c>).</summary>
public sealed class Listen : IController
{
    public async Task Handle(Candy candy)
    {
        var interval = Interval.Of(candy);
        candy.Stream((send, close) =>
        {
            send(new { message = "Signed out", time = Interval.Now });
            var signedIn = false;
            var timer = new Timer(_ =>
            {
                signedIn = !signedIn;
                send(new { message = signedIn ? "Signed in as guest" : "Signed out", time = Interval.Now });
            }, null, interval, interval);
            return () => timer.Dispose();
        });
    }
}
