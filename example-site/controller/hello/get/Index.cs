using CandyPack;

namespace ExampleSite.Controller.Hello.Get;

/// <summary>GET /hello: the guide's quick start, through a controller.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy) => candy.Stream("Hello World");
}
