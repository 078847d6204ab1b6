using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Testing;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CandyPack.Tests.Testing;

/// <summary>
/// CandyPack.Testing as a site author uses it: the example site started from its assembly alone (its folder found from
/// the test's output folder), over real sockets.
/// </summary>
[TestFixture]
public sealed class CandySiteFactoryTests
{
    private static readonly System.Reflection.Assembly Site = typeof(ExampleSite.Route.Www).Assembly;

    [Test]
    public async Task JsonRoute_AnswersFromTheSiteFoundByItsAssembly_WithItsSchemaApplied()
    {
        await using var site = await CandySiteFactory.StartAsync(Site);
        var http = site.CreateHttpClient();

        var posts = await http.GetFromJsonAsync<JsonElement>("/api/posts?order=asc&limit=2");

        Assert.That(http.BaseAddress, Is.EqualTo(site.Address));
        Assert.That(posts.EnumerateArray().Select(p => p.GetProperty("title").GetString()), Is.EqualTo(new[] { "Post 1", "Post 2" }));
    }

    [Test]
    public async Task Stream_IsReadToItsEnd()
    {
        await using var site = await CandySiteFactory.StartAsync(Site);
        var http = site.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/array");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var items = await SseReader.ReadAllAsync(response);

        Assert.That(SseReader.Messages(items), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(items[^1].EventType, Is.EqualTo("end"));
    }

    [Test]
    public async Task CreateClient_IsTheDotNetClientWiredToTheSite()
    {
        await using var site = await CandySiteFactory.StartAsync(Site);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var numbers = new List<int>();
        await foreach (var message in site.CreateClient().Listen<int>("/array", timeout.Token))
        {
            numbers.Add(message.Data);
        }

        Assert.That(numbers, Is.EqualTo(new[] { 1, 2, 3, 4, 5 }), "every item, then the end event ends the loop");
    }

    [Test]
    public async Task ChannelPublish_FromTheSitesServices_ReachesASubscriber()
    {
        await using var site = await CandySiteFactory.StartAsync(Site);
        var http = site.CreateHttpClient();
        await using var listener = await SseListener.OpenAsync(http, "/notifications/stream");

        await site.Services.GetRequiredService<ICandyChannels>().Channel("notifications").Publish(new { text = "hello" });

        var items = await listener.WaitForAsync(i => SseReader.Messages(i).Count > 0, "the published message");
        Assert.That(SseReader.Messages(items), Is.EqualTo(new[] { """{"text":"hello"}""" }));
    }

    [Test]
    public async Task ConfigureServices_ReplacesTheSitesOwnRegistration()
    {
        const string path = "/notifications/user/ann/stream";
        await using (var plain = await CandySiteFactory.StartAsync(Site))
        {
            using var refused = await OpenStream(plain.CreateHttpClient(), path);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "the site's own rule: only ann may listen to ann's channel");
        }

        await using var site = await CandySiteFactory.StartAsync(Site, options =>
            options.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<IChannelAuthorizer, AllowEveryone>())));

        using var allowed = await OpenStream(site.CreateHttpClient(), path);
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the replacement decides");
    }

    [Test]
    public async Task TimeProvider_IsTheClockThatExpiresASubscribeToken()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var site = await CandySiteFactory.StartAsync(Site, options => options.TimeProvider = clock);
        var signedIn = site.CreateHttpClient();
        (await signedIn.PostAsJsonAsync("/chat/login", new { name = "ann" })).EnsureSuccessStatusCode();
        var token = (await signedIn.GetFromJsonAsync<JsonElement>("/chat/token")).GetProperty("token").GetString()!;
        var anonymous = site.CreateHttpClient();
        var path = "/chat/stream?token=" + Uri.EscapeDataString(token);
        using (var valid = await OpenStream(anonymous, path))
        {
            Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the token is good for a minute");
        }

        clock.Advance(TimeSpan.FromMinutes(2));

        using var expired = await OpenStream(anonymous, path);
        Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "two minutes later on the site's clock");
    }

    [Test]
    public async Task TwoSites_HaveDatabasesOfTheirOwn_DeletedOnDispose()
    {
        await using var first = await CandySiteFactory.StartAsync(Site); // disposed below too: a second dispose does nothing
        await using var second = await CandySiteFactory.StartAsync(Site);
        var firstHttp = first.CreateHttpClient();

        var created = await firstHttp.PostAsJsonAsync("/api/posts", new { userId = 1, title = "only in the first" });

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await Titles(firstHttp, "only"), Is.EqualTo(new[] { "only in the first" }));
        Assert.That(await Titles(second.CreateHttpClient(), "only"), Is.Empty);
        Assert.That(first.DatabaseFile, Is.Not.EqualTo(second.DatabaseFile));
        Assert.That(File.Exists(first.DatabaseFile), Is.True);

        await first.DisposeAsync();

        Assert.That(File.Exists(first.DatabaseFile), Is.False);
        Assert.That(Directory.Exists(Path.GetDirectoryName(first.DatabaseFile)), Is.False);
    }

    [Test]
    public async Task Configure_SetsAValueOverConfigJson()
    {
        var body = new { name = new string('a', 100) };
        await using (var plain = await CandySiteFactory.StartAsync(Site))
        {
            using var accepted = await plain.CreateHttpClient().PostAsJsonAsync("/echo", body);
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), "config.json's request.maxBodySize is 1 MiB");
        }

        await using var site = await CandySiteFactory.StartAsync(Site, options => options.Configure("request:maxBodySize", "16"));

        using var refused = await site.CreateHttpClient().PostAsJsonAsync("/echo", body);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task AnAssemblyWithoutAProjectNearby_FailsNamingTheOptionThatSetsTheFolder()
    {
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => CandySiteFactory.StartAsync(typeof(NUnit.Framework.Assert).Assembly));

        Assert.That(error!.Message, Does.Contain("nunit.framework.csproj").And.Contain("CandySiteOptions.SiteFolder"));
    }

    private static async Task<List<string?>> Titles(HttpClient http, string search) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("/api/posts?q=" + search)).EnumerateArray().Select(p => p.GetProperty("title").GetString())];

    private static Task<HttpResponseMessage> OpenStream(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private sealed class AllowEveryone : IChannelAuthorizer
    {
        public bool CanSubscribe(Candy candy, string channel) => true;
    }
}
