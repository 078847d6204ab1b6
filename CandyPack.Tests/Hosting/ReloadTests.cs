using System.Diagnostics;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>Development mode: editing a running site's code swaps the new build in, moves open streams to it, and unloads the old build.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ReloadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Test]
    public async Task EditingAController_ServesTheNewCode_MovesOldStreamsToIt_SurvivesACompileError_AndUnloadsTheOldBuild()
    {
        var folder = CreateSite("v1");
        await using var host = HostProcess.Start(folder, "--port", "0");
        var address = await host.WaitForAddressAsync(Deadline);
        Assert.That(address, Is.Not.Null, host.Output);
        using var client = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        Assert.That(await client.GetStringAsync("/version"), Is.EqualTo("v1"));

        // A stream opened before the reload.
        using var ticks = await client.GetAsync("/ticks", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await ticks.Content.ReadAsStreamAsync();
        Assert.That((await SseReader.ReadAsync(body, 1)).Single().Data, Is.EqualTo("v1"));

        var saved = Stopwatch.StartNew();
        WriteRoutes(folder, "v2");
        Assert.That(await Eventually.TrueAsync(() => client.GetStringAsync("/version").GetAwaiter().GetResult() == "v2", Deadline, TimeSpan.FromMilliseconds(250)), Is.True, host.Output);
        TestContext.Out.WriteLine($"save to new response: {saved.Elapsed.TotalSeconds:0.0}s");

        // The old build closes its stream without "end", so EventSource reconnects, and lands on the new build.
        var rest = new List<System.Net.ServerSentEvents.SseItem<string>>();
        using (var closed = new CancellationTokenSource(Deadline))
        {
            await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync(closed.Token))
            {
                rest.Add(item);
            }
        }

        Assert.That(rest.Select(e => e.EventType), Has.No.Member("end"), "the old build ended its stream for good");
        using (var resumed = await client.GetAsync("/ticks", HttpCompletionOption.ResponseHeadersRead))
        {
            await using var resumedBody = await resumed.Content.ReadAsStreamAsync();
            Assert.That((await SseReader.ReadAsync(resumedBody, 1)).Single().Data, Is.EqualTo("v2"));
        }

        File.WriteAllText(Path.Combine(folder, "route", "www.cs"), "this is not C#");
        Assert.That(await Eventually.TrueAsync(() => host.Output.Contains("Still serving the previous build", StringComparison.Ordinal), Deadline, TimeSpan.FromMilliseconds(250)), Is.True, host.Output);
        Assert.That(host.Output, Does.Contain("error CS"));
        Assert.That(await client.GetStringAsync("/version"), Is.EqualTo("v2"));

        ticks.Dispose();
        Assert.That(await Eventually.TrueAsync(() => host.Output.Contains("Build 1 of site ReloadSite was unloaded", StringComparison.Ordinal), Deadline, TimeSpan.FromMilliseconds(250)), Is.True, host.Output);
        Assert.That(host.Output, Does.Contain("Build 1 of site ReloadSite was unloaded and collected"));
    }

    private static string CreateSite(string version)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-reload-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "route"));
        var framework = Path.Combine(Repository.Root, "CandyPack.Framework", "CandyPack.Framework.csproj");
        File.WriteAllText(Path.Combine(folder, "ReloadSite.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{framework}" />
              </ItemGroup>
            </Project>
            """);
        WriteRoutes(folder, version);
        return folder;
    }

    private static void WriteRoutes(string folder, string version) =>
        File.WriteAllText(Path.Combine(folder, "route", "www.cs"), $$"""
            using CandyPack;

            namespace ReloadSite.Route;

            public sealed class Www : RouteFile
            {
                protected override void Map()
                {
                    Route.Get("/version", candy => "{{version}}");
                    Route.Get("/ticks", candy => candy.Stream(async send =>
                    {
                        while (send("{{version}}"))
                        {
                            await Task.Delay(50);
                        }
                    }));
                }
            }
            """);
}
