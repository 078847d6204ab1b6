using CandyPack;

namespace ExampleSite.Controller.Array.Get;

/// <summary>GET /array: a message per item.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy) => candy.Stream(new[] { 1, 2, 3, 4, 5 });
}
