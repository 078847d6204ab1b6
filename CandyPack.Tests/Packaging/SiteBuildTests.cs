using CandyPack.Tests.Support;

namespace CandyPack.Tests.Packaging;

/// <summary>A user's site inside the checkout builds with the user's settings, and its compile errors read as themselves.</summary>
[TestFixture]
public sealed class SiteBuildTests
{
    [Test]
    public async Task SiteInsideTheCheckout_BuildsWithTheSdkDefaultsNotTheRepositorysStrictSettings()
    {
        using var site = new ScratchSite("GuideSite");
        site.Write("route/www.cs", """
            using CandyPack;

            namespace GuideSite.Route;

            public sealed record Order(string Item, int Quantity);

            public sealed class Www : RouteFile
            {
                protected override void Map()
                {
                    Route.Get("/numbers", candy => candy.Stream(new[] { 1, 2, 3, 4, 5 }));
                    Route.Get("/users", "users");
                    Route.Post("/orders", candy => candy.Json<Order>().Item);
                }
            }
            """);
        site.Write("controller/users/get/Index.cs", """
            using System.Runtime.CompilerServices;
            using CandyPack;
            using CandyPack.Data;

            namespace GuideSite.Controller.Users.Get;

            public sealed class Index : IController
            {
                public Task Handle(Candy candy)
                {
                    candy.Stream(Users);
                    return Task.CompletedTask;

                    async IAsyncEnumerable<Row> Users([EnumeratorCancellation] CancellationToken token)
                    {
                        foreach (var user in await candy.Mysql.Table("users").Get())
                        {
                            yield return user;
                        }
                    }
                }
            }
            """);

        var build = await site.BuildAsync();

        Assert.That(build.Errors, Is.Empty, build.Output);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(build.Warnings.Where(w => w.Contains(" CA", StringComparison.Ordinal)), Is.Empty, "the repository's analyzer set stays out of a user's site");
    }

    [Test]
    public async Task CompileErrorInsideACleanupReturningCallback_IsReportedAsItself()
    {
        using var site = new ScratchSite("TypoSite");
        site.Write("route/www.cs", """
            using CandyPack;

            namespace TypoSite.Route;

            public sealed class Www : RouteFile
            {
                protected override void Map()
                {
                    Route.Get("/ticks", candy => candy.Stream((send, close) =>
                    {
                        var timer = new Timer(_ => send(DateTime.UtcNow), null, 0, 1000);
                        return () => timer.Dispos();
                    }));
                }
            }
            """);

        var build = await site.BuildAsync();

        Assert.That(build.ExitCode, Is.Not.Zero);
        Assert.That(build.Errors, Has.Some.StartsWith("error CS1061"), build.Output);
        Assert.That(build.Errors, Has.None.StartsWith("error CS8030"), "no misleading 'cannot return a value' from a void-returning overload");
    }
}
