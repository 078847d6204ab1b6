using System.Text.Json;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Api;

/// <summary>
/// <c>candy publish &lt;url&gt; &lt;channel&gt; &lt;json&gt;</c>, run as docs/server-api.md writes it (the command line read
/// from the page; <c>candy</c> is this build's CandyPack.Host.dll, the URL the test server's), against a real site:
/// the message reaches a subscriber with the id the command printed. A folder after <c>publish</c> keeps its old meaning.
/// </summary>
[TestFixture]
public sealed class PublishCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private CandyServer _server = null!;
    private string _documented = string.Empty;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var page = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "server-api.md"));
        _documented = page.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("candy publish http", StringComparison.Ordinal));
        _server = await CandyServer.StartAsync(ApiSite.WithConfig(ApiSite.Config()));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task DocumentedCommand_PublishesTheMessage_AndPrintsItsId()
    {
        await using var subscriber = await ApiRequests.SubscribeAsync(_server.Client, "orders");

        var (exitCode, output) = await RunAsync(_documented, ApiSite.Key);

        Assert.That(exitCode, Is.Zero, output);
        var items = await subscriber.WaitForAsync(i => i.Count >= 1, "the message the command published");
        Assert.Multiple(() =>
        {
            Assert.That(JsonDocument.Parse(items[0].Data).RootElement.GetProperty("id").GetInt32(), Is.EqualTo(42));
            Assert.That(output.Trim(), Is.EqualTo(items[0].EventId), "the command prints the message's id");
        });
    }

    [Test]
    public async Task WrongKey_ExitsWithTheServersAnswer()
    {
        var (exitCode, output) = await RunAsync(_documented, "wrong-key-0123456789abcdef");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Does.Contain("401").And.Contain("Authorization").And.Not.Contain("wrong-key"));
    }

    [Test]
    public async Task NoKey_ExitsWithUsage_NamingTheVariable()
    {
        var (exitCode, output) = await RunAsync(_documented, key: null);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Does.Contain("CANDY_API_KEY").And.Contain("--key"));
    }

    [Test]
    public async Task PublishWithAFolder_StillMeansPublishingASite()
    {
        var (exitCode, output) = await RunAsync("candy publish ./my-site", key: null);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Does.Contain("candy publish <site-folder> <out-folder>"));
    }

    /// <summary>Runs <paramref name="commandLine"/> in bash with <c>candy</c> as this build's host and the documented URL as the test server's.</summary>
    private async Task<(int ExitCode, string Output)> RunAsync(string commandLine, string? key)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "CandyPack.Host.dll");
        var command = "dotnet '" + host + "'" + commandLine["candy".Length..]
            .Replace("http://127.0.0.1:1071", _server.Address.ToString().TrimEnd('/'), StringComparison.Ordinal);
        var environment = new Dictionary<string, string> { ["CANDY_API_KEY"] = key ?? string.Empty };
        return await CommandLine.RunAsync("bash", Repository.Root, environment, Deadline, "-c", command);
    }
}
