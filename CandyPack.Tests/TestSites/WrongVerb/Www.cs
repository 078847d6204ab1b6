namespace CandyPack.Tests.TestSites.WrongVerb.Route
{
    public sealed class Www : RouteFile
    {
        protected override void Map() => Route.Post("/hello", "hello");
    }
}

namespace CandyPack.Tests.TestSites.WrongVerb.Controller.Hello.Get
{
    public sealed class Index : IController
    {
        public async Task Handle(Candy candy) => candy.Return("get only");
    }
}
