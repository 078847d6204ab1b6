using CandyPack.Hosting;
using CandyPack.Routing;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Routing;

/// <summary>Route targets resolve by folder convention, and a target that does not fails startup with a useful message.</summary>
[TestFixture]
public sealed class ConventionTests
{
    [TestCase("hello", "GET", new[] { "hello/get/index" })]
    [TestCase("data.fetch", "GET", new[] { "data/get/fetch" })]
    [TestCase("index", "GET", new[] { "index/get/index", "get/index" })]
    [TestCase("Users.List", "POST", new[] { "users/post/list" })]
    [TestCase("a.b.c", "DELETE", new[] { "a/b/delete/c" })]
    public void CandidateLocations_FollowTheFolderConvention(string target, string method, string[] expected)
    {
        Assert.That(ControllerResolver.CandidateLocations(target, method), Is.EqualTo(expected));
    }

    [Test]
    public void ControllerLocation_ComesFromNamespaceAndClassName()
    {
        Assert.That(ControllerDescriptor.LocationOf(typeof(TestSites.Good.Controller.Data.Get.Fetch)), Is.EqualTo("data/get/fetch"));
        Assert.That(ControllerDescriptor.LocationOf(typeof(TestSites.Good.Controller.Get.Index)), Is.EqualTo("get/index"));
    }

    [Test]
    public async Task Startup_TargetWithNoController_FailsNamingRouteFileTargetAndPathsTried()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => CandyServer.StartAsync(TestSite.Create("Missing")));

        Assert.That(error!.Message, Does.Contain("route/www.cs"));
        Assert.That(error.Message, Does.Contain("\"users.list\""));
        Assert.That(error.Message, Does.Contain("controller/users/get/list"));
    }

    [Test]
    public async Task Startup_TargetReachingTwoControllers_FailsNamingBoth()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => CandyServer.StartAsync(TestSite.Create("Ambiguous")));

        Assert.That(error!.Message, Does.Contain("ambiguous"));
        Assert.That(error.Message, Does.Contain("controller/index/get/index"));
        Assert.That(error.Message, Does.Contain("controller/get/index"));
        Assert.That(error.Message, Does.Contain("route/www.cs"));
    }

    [Test]
    public async Task Startup_ControllerInTheWrongVerbFolder_FailsShowingTheVerbPathTried()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => CandyServer.StartAsync(TestSite.Create("WrongVerb")));

        Assert.That(error!.Message, Does.Contain("POST /hello"));
        Assert.That(error.Message, Does.Contain("controller/hello/post/index"));
    }

    [Test]
    public async Task Startup_EquivalentRoutes_FailNamingTheRouteFileAndBothPatterns()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => CandyServer.StartAsync(TestSite.Create("Equivalent")));

        Assert.That(error!.Message, Does.Contain("route/www.cs"));
        Assert.That(error.Message, Does.Contain("GET /dup/{id}"));
        Assert.That(error.Message, Does.Contain("GET /dup/{name}"));
    }
}
