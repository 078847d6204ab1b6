using System.Net.ServerSentEvents;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>The host executable as a user runs it: it builds the site, serves it, and stops with the compiler's errors on a broken site.</summary>
[TestFixture]
public sealed class HostProcessTests
{
    private static readonly TimeSpan BuildDeadline = TimeSpan.FromMinutes(4);

    [Test]
    public async Task Host_BuildsAndServesTheExampleSite()
    {
        await using var host = HostProcess.Start(Repository.ExampleSite, "--port", "0");
        var address = await host.WaitForAddressAsync(BuildDeadline);
        Assert.That(address, Is.Not.Null, host.Output);

        using var client = new HttpClient { BaseAddress = address };
        await using var body = await client.GetStreamAsync("/hello");
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync())
        {
            events.Add(item);
        }

        Assert.That(SseReader.Messages(events), Is.EqualTo(new[] { "Hello World" }));
        Assert.That(await Eventually.TrueAsync(() => host.Output.Contains("GET /hello responded 200", StringComparison.Ordinal)), Is.True, "no request log line: " + host.Output);
        Assert.That(host.Output, Does.Contain("GET /hello -> hello (ExampleSite.Controller.Hello.Get.Index)"), "no route table at startup");
    }

    [Test]
    public async Task Host_SiteThatFailsToCompile_StopsWithTheCompilerErrors()
    {
        await using var host = HostProcess.Start(Repository.TestSite("broken-site"), "--port", "0");

        var exitCode = await host.WaitForExitAsync(BuildDeadline);

        Assert.That(exitCode, Is.EqualTo(1), host.Output);
        Assert.That(host.Output, Does.Contain("failed to compile"));
        Assert.That(host.Output, Does.Contain("www.cs(10"));
        Assert.That(host.Output, Does.Contain("error CS1002"));
        Assert.That(host.Output, Does.Not.Contain("Now listening"));
    }

    [Test]
    public async Task Host_WithoutASite_PrintsUsage()
    {
        await using var host = HostProcess.Start();

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(host.Output, Does.Contain("No site folder given."));
        Assert.That(host.Output, Does.Contain("Usage: CandyPack.Host"));
    }
}
