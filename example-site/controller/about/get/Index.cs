using CandyPack;

namespace ExampleSite.Controller.About.Get;

/// <summary>GET /about: a returned string is an HTML response.</summary>
public sealed class Index : IController<string>
{
    public async Task<string> Handle(Candy candy) =>
        "<!doctype html><title>About</title><h1>CandyPack example site</h1><p>Route: " + candy.Route.Pattern + "</p>";
}
