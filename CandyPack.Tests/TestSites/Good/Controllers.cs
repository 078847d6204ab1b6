using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CandyPack.Tests.TestSites.Good.Controller.Hello.Get
{
    public sealed class Index : IController<string>
    {
        public async Task<string> Handle(Candy candy) => "hello via GET";
    }
}

namespace CandyPack.Tests.TestSites.Good.Controller.Hello.Post
{
    public sealed class Index : IController<string>
    {
        public async Task<string> Handle(Candy candy) => "hello via POST";
    }
}

namespace CandyPack.Tests.TestSites.Good.Controller.Data.Get
{
    public sealed class Fetch : IController<string>
    {
        public async Task<string> Handle(Candy candy) => "data.fetch";
    }
}

namespace CandyPack.Tests.TestSites.Good.Controller.Get
{
    public sealed class Index : IController<string>
    {
        public async Task<string> Handle(Candy candy) => "root index";
    }
}

namespace CandyPack.Tests.TestSites.Good.Controller.Items.Get
{
    public sealed class Show : IController
    {
        public async Task Handle(Candy candy) => candy.Return(new { id = candy.Request("id") });
    }
}

namespace CandyPack.Tests.TestSites.Good.Controller.Injected.Get
{
    public sealed class Index(ILogger<Index> logger, IOptions<CandyOptions> options) : IController<object>
    {
        public async Task<object> Handle(Candy candy)
        {
            logger.LogInformation("injected controller ran");
            return new { timeout = options.Value.Request.Timeout };
        }
    }
}
