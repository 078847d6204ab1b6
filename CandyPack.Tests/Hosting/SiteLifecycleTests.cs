using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json;
using CandyPack.Host;
using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.Hosting;

/// <summary>
/// Reloading a real, separately built site (Sites/lifecycle-site) in its own collectible load context: a replaced
/// build closes its streams so clients resume on the new one and is then collected, and a build that fails to load
/// releases everything it took while the old build keeps serving.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SiteLifecycleTests
{
    private const string ContextName = "site:LifecycleSite";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);
    private string _assembly = null!;

    [OneTimeSetUp]
    public async Task BuildSite() =>
        _assembly = await SiteBuilder.BuildAsync(Repository.TestSite("lifecycle-site"), CancellationToken.None);

    [Test]
    public async Task Insert_StoresANestedObjectAsJsonWithTheSitesCamelCaseNames()
    {
        var site = await LoadedSite.StartAsync(_assembly, SiteFolder("{}"));
        await using (site)
        {
            (await site.Server.Client.PostAsync("/notes", null)).EnsureSuccessStatusCode();

            using var notes = JsonDocument.Parse(await site.Server.Client.GetStringAsync("/notes"));
            var tags = notes.RootElement[0].GetProperty("tags").GetString()!;
            Assert.That(tags, Is.EqualTo("""{"firstTag":"reload"}"""), "the stored JSON is named as every response is");
        }
    }

    [Test]
    public async Task Reload_CollectsTheOldBuild_AfterItsOwnTypesWentThroughInsertGetAndAChannel()
    {
        var folder = SiteFolder("""{ "build": "1" }""");
        var site = await LoadedSite.StartAsync(_assembly, folder);
        await using (site)
        {
            var client = site.Server.Client;
            (await client.PostAsync("/notes", null)).EnsureSuccessStatusCode();
            Assert.That(await client.GetStringAsync("/notes"), Does.Contain("from build 1"));
            using (var feed = await OpenFeedAsync(site.Server))
            {
                await using var body = await feed.Content.ReadAsStreamAsync();
                (await client.PostAsync("/feed", null)).EnsureSuccessStatusCode();
                Assert.That((await SseReader.ReadAsync(body, 1)).Single().Data, Does.Contain("published by build 1"));
            }

            WriteConfig(folder, """{ "build": "2" }""");
            Assert.That(site.Reloader.Reload(_assembly), Is.True, site.Logs);
            Assert.That(await client.GetStringAsync("/build"), Is.EqualTo("2"));

            Assert.That(await CollectedAsync(site.FirstBuild), Is.True, "the first build is still referenced after its retirement" + Environment.NewLine + site.Logs);
        }
    }

    [Test]
    public async Task Reload_ClosesTheOldBuildsStreamsWithoutEnd_AndTheClientResumesOnTheNewBuild()
    {
        var folder = SiteFolder("""{ "build": "1" }""");
        var site = await LoadedSite.StartAsync(_assembly, folder);
        await using (site)
        {
            var client = site.Server.Client;
            using var old = await OpenFeedAsync(site.Server);
            await using var oldBody = await old.Content.ReadAsStreamAsync();
            (await client.PostAsync("/feed", null)).EnsureSuccessStatusCode();
            var first = (await SseReader.ReadAsync(oldBody, 1)).Single();

            WriteConfig(folder, """{ "build": "2" }""");
            Assert.That(site.Reloader.Reload(_assembly), Is.True, site.Logs);

            var rest = await ReadUntilClosedAsync(oldBody);
            Assert.That(rest, Is.Not.Null, "the retired build's stream is still open: its client stays on the old build");
            Assert.That(rest!.Select(i => i.EventType), Has.No.Member("end"), "a retired build's stream must close without end, or EventSource never comes back");

            // What EventSource does next: reconnect with the last id it saw, and land on the new build.
            var request = site.Server.Request(HttpMethod.Get, "/feed");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            request.Headers.Add("Last-Event-ID", first.EventId);
            using var resumed = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var resumedBody = await resumed.Content.ReadAsStreamAsync();
            (await client.PostAsync("/feed", null)).EnsureSuccessStatusCode();
            using var read = new CancellationTokenSource(Deadline);
            Assert.That(await NextMessageAsync(resumedBody, read.Token), Does.Contain("published by build 2"));
        }
    }

    [Test]
    public async Task FailedReloads_ReleaseEverythingTheyTook_AndTheOldBuildKeepsServing()
    {
        var folder = SiteFolder("""{ "build": "1" }""");
        var site = await LoadedSite.StartAsync(_assembly, folder);
        await using (site)
        {
            Assert.That(await site.Server.Client.GetStringAsync("/build"), Is.EqualTo("1"));
            var missingDependency = CopyWithout(Path.GetDirectoryName(_assembly)!, "LifecycleExtra.dll");
            var failures = new (string Config, string Assembly, string Reason)[]
            {
                ($$"""{ "failure": "route", "redis": "{{TestServices.Redis}}" }""", _assembly, "must start with '/'"),
                ("""{ "failure": "startup" }""", _assembly, "failed on purpose"),
                ("""{ }""", Path.Combine(missingDependency, Path.GetFileName(_assembly)), "LifecycleExtra"),
            };

            // The first round also starts what the process creates once (Redis client, connection pools), so counting starts after it.
            FailEach(site, folder, failures, round: 0);
            Assert.That(await site.Server.Client.GetStringAsync("/build"), Is.EqualTo("1"));
            Collect();
            var timers = Timer.ActiveCount;
            var contexts = LiveContexts();

            const int Rounds = 8;
            for (var round = 1; round <= Rounds; round++)
            {
                FailEach(site, folder, failures, round);
                Assert.That(await site.Server.Client.GetStringAsync("/build"), Is.EqualTo("1"), "the old build stops serving after a failed reload");
            }

            Assert.That(await Eventually.TrueAsync(() => Collect() && LiveContexts() <= contexts, Deadline, TimeSpan.FromMilliseconds(200)), Is.True,
                $"{LiveContexts() - contexts} failed builds are still loaded");

            // A leak adds at least one timer per failed round (the stream heartbeat, and the Redis client's).
            Assert.That(Timer.ActiveCount - timers, Is.LessThan(Rounds), "failed loads left their timers running");
        }
    }

    private static void FailEach(LoadedSite site, string folder, (string Config, string Assembly, string Reason)[] failures, int round)
    {
        foreach (var (config, assembly, reason) in failures)
        {
            WriteConfig(folder, config);
            Assert.That(site.Reloader.Reload(assembly), Is.False, site.Logs);
            Assert.That(site.Server.Logs.Entries.Count(e => e.Level == LogLevel.Error && e.Message.Contains(reason, StringComparison.Ordinal)), Is.EqualTo(round + 1), site.Logs);
        }
    }

    /// <summary>
    /// The data of the next message event: a resume on a new build may first get <c>reset</c>, since the new build's
    /// channels start without the old one's history.
    /// </summary>
    private static async Task<string?> NextMessageAsync(Stream body, CancellationToken cancellationToken)
    {
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == "message")
            {
                return item.Data;
            }
        }

        return null;
    }

    /// <summary>The events up to the end of the response, or null when it is still open at the deadline.</summary>
    private static async Task<List<System.Net.ServerSentEvents.SseItem<string>>?> ReadUntilClosedAsync(Stream body)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var items = new List<System.Net.ServerSentEvents.SseItem<string>>();
        try
        {
            await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync(deadline.Token))
            {
                items.Add(item);
            }
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            return null;
        }

        return items;
    }

    private static int LiveContexts() => AssemblyLoadContext.All.Count(c => c.Name == ContextName);

    private static bool Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return true;
    }

    private static Task<bool> CollectedAsync(WeakReference build) =>
        Eventually.TrueAsync(() => Collect() && !build.IsAlive, Deadline, TimeSpan.FromMilliseconds(200));

    private static async Task<HttpResponseMessage> OpenFeedAsync(CandyServer server)
    {
        var response = await server.OpenStreamAsync("/feed");
        response.EnsureSuccessStatusCode();
        return response;
    }

    private static string SiteFolder(string config)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", "lifecycle-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Repository.TestSite("lifecycle-site"), "schema.sql"), Path.Combine(folder, "schema.sql"));
        WriteConfig(folder, config);
        return folder;
    }

    private static void WriteConfig(string folder, string config) => File.WriteAllText(Path.Combine(folder, "config.json"), config);

    /// <summary>A copy of a build's output missing one dependency, as a deployment that forgot a file.</summary>
    private static string CopyWithout(string output, string missing)
    {
        var copy = Path.Combine(Path.GetTempPath(), "candy-tests", "lifecycle-build-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(output).Where(f => Path.GetFileName(f) != missing))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    /// <summary>A server running the site's first build from its own load context, with a reloader that swaps in later builds.</summary>
    private sealed class LoadedSite : IAsyncDisposable
    {
        private LoadedSite(CandyServer server, SiteReloader reloader, WeakReference firstBuild)
        {
            Server = server;
            Reloader = reloader;
            FirstBuild = firstBuild;
        }

        public CandyServer Server { get; }

        public SiteReloader Reloader { get; }

        /// <summary>The first build's load context, held weakly so the test does not keep it alive.</summary>
        public WeakReference FirstBuild { get; }

        public string Logs => string.Join(Environment.NewLine, Server.Logs.Entries.Select(e => $"{e.Level} {e.Message}"));

        public static async Task<LoadedSite> StartAsync(string assembly, string folder)
        {
            var (definition, context) = Load(assembly, folder);
            var server = await CandyServer.StartAsync(definition);
            var runtime = server.App.Services.GetRequiredService<SiteRegistry>().Sites[0];
            var reloader = new SiteReloader(
                folder,
                runtime,
                context,
                server.App.Services.GetRequiredService<SiteActivator>(),
                server.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CandyPack.Host"),
                server.App.Lifetime.ApplicationStopping,
                watch: false);
            return new LoadedSite(server, reloader, new WeakReference(context));
        }

        public async ValueTask DisposeAsync()
        {
            Reloader.Dispose();
            await Server.DisposeAsync();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static (SiteDefinition Definition, SiteLoadContext Context) Load(string assembly, string folder)
        {
            var context = new SiteLoadContext(assembly);
            return (new SiteDefinition(folder, context.LoadMain()), context);
        }
    }
}
