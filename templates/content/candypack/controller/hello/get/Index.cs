using CandyPack;

namespace MySite.Controller.Hello.Get;

public sealed class Index : IController
{
    public Task Handle(Candy candy)
    {
        candy.Stream("Hello World");
        return Task.CompletedTask;
    }
}
