namespace CandyPack.Tests.TestSites.Ambiguous.Route
{
    public sealed class Www : RouteFile
    {
        protected override void Map() => Route.Get("/", "index");
    }
}

namespace CandyPack.Tests.TestSites.Ambiguous.Controller.Index.Get
{
    public sealed class Index : IController
    {
        public async Task Handle(Candy candy) => candy.Return("one");
    }
}

namespace CandyPack.Tests.TestSites.Ambiguous.Controller.Get
{
    public sealed class Index : IController
    {
        public async Task Handle(Candy candy) => candy.Return("two");
    }
}
