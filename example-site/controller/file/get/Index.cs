using CandyPack;

namespace ExampleSite.Controller.File.Get;

/// <summary>GET /file: a file read as it streams, one message per line.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy) =>
        candy.Stream(System.IO.File.OpenRead(Path.Combine(candy.SiteFolder, "data", "large-file.txt")));
}
