using System.Diagnostics;
using System.Net;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>
/// Deployment as the Docker image does it (no container engine runs here): the Dockerfile's publish script, then the
/// published host started like the image's entrypoint; and SIGTERM with open streams.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DeploymentTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    [Test]
    public async Task PublishedHost_StartedLikeTheImageEntrypoint_Serves()
    {
        var output = Path.Combine(Path.GetTempPath(), "candy-publish-" + Guid.NewGuid().ToString("N")[..8]);
        var publish = Process.Start(new ProcessStartInfo("bash", ["scripts/publish.sh", "example-site", output])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync(new CancellationTokenSource(Deadline).Token);
        Assert.That(publish.ExitCode, Is.Zero, await log + await errors);

        var started = Stopwatch.StartNew();
        await using var host = HostProcess.StartDll(Path.Combine(output, "host", "CandyPack.Host.dll"), "--no-build", "--urls", "http://127.0.0.1:0", Path.Combine(output, "site"));
        var address = await host.WaitForAddressAsync(TimeSpan.FromMinutes(1));
        Assert.That(address, Is.Not.Null, host.Output);
        using var client = new HttpClient { BaseAddress = address };
        using var response = await client.GetAsync("/hello/inline");
        var firstResponse = started.Elapsed;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("data: Hello World"));
        Assert.That(host.Output, Does.Not.Contain("Building site"), "a published site must load without building");
        TestContext.Out.WriteLine($"published host: first response {firstResponse.TotalMilliseconds:0} ms after start");
    }

    [Test]
    public async Task Sigterm_WithOpenStreams_ClosesThemAndExitsCleanly()
    {
        await using var host = HostProcess.Start(Repository.ExampleSite, "--port", "0");
        var address = await host.WaitForAddressAsync(Deadline);
        Assert.That(address, Is.Not.Null, host.Output);
        using var client = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        var streams = new List<(HttpResponseMessage Response, Stream Body)>();
        foreach (var path in new[] { "/monitor?interval=100", "/cleanup?interval=100", "/callback?interval=100" })
        {
            var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            var body = await response.Content.ReadAsStreamAsync();
            await SseReader.ReadAsync(body, 2);
            streams.Add((response, body));
        }

        host.Signal("TERM");
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.That(exitCode, Is.Zero, host.Output);
        Assert.That(host.Output, Does.Contain("Closing 3 open streams for shutdown"));
        foreach (var (response, body) in streams)
        {
            // Each stream's response ended (rather than the connection hanging until the process died).
            var rest = await new StreamReader(body).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(rest, Does.Not.Contain("event: end"), "shutdown must not tell clients to stop reconnecting");
            response.Dispose();
        }
    }
}
