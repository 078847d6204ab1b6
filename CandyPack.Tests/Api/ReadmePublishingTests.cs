using System.Text.Json;
using System.Text.RegularExpressions;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Api;

/// <summary>
/// The README's "Publishing from other services" commands, run as written (read from the README; only the address is
/// the test server's): the curl line in bash and the standard-library Python publisher in python3, each with
/// <c>CANDY_API_KEY</c> in the environment. Each message reaches a subscriber under the id the call answered.
/// </summary>
[TestFixture]
public sealed partial class ReadmePublishingTests
{
    private const string DocumentedAddress = "http://127.0.0.1:1071";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);

    private CandyServer _server = null!;
    private string _section = string.Empty;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var readme = (await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"))).ReplaceLineEndings("\n");
        var start = readme.IndexOf("## Publishing from other services", StringComparison.Ordinal);
        Assert.That(start, Is.Not.Negative, "the README has a section \"Publishing from other services\"");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        _section = readme[start..(end < 0 ? readme.Length : end)];
        _server = await CandyServer.StartAsync(ApiSite.WithConfig(ApiSite.Config()));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task CurlLine_PublishesTheMessage()
    {
        await using var subscriber = await ApiRequests.SubscribeAsync(_server.Client, "orders");

        var (exitCode, output) = await CommandLine.RunAsync("bash", Repository.Root, Environment(), Deadline, "-c", Block("sh"));

        Assert.That(exitCode, Is.Zero, output);
        var items = await subscriber.WaitForAsync(i => i.Count >= 1, "the message curl published");
        Assert.Multiple(() =>
        {
            Assert.That(JsonDocument.Parse(items[0].Data).RootElement.GetProperty("id").GetInt32(), Is.EqualTo(42));
            // curl's progress meter goes to stderr, which the output holds too: the answer is the JSON object in it.
            var answer = output[output.IndexOf("{\"", StringComparison.Ordinal)..(output.LastIndexOf('}') + 1)];
            Assert.That(JsonDocument.Parse(answer).RootElement.GetProperty("id").GetString(), Is.EqualTo(items[0].EventId), "curl shows the answered id");
        });
    }

    [Test]
    public async Task PythonPublisher_PublishesTheMessage_AndPrintsItsId()
    {
        await using var subscriber = await ApiRequests.SubscribeAsync(_server.Client, "orders");
        var script = Path.Combine(Path.GetTempPath(), $"candy-publisher-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Block("python"));
        try
        {
            var (exitCode, output) = await CommandLine.RunAsync(TestServices.Python, Repository.Root, Environment(), Deadline, script);

            Assert.That(exitCode, Is.Zero, output);
            var items = await subscriber.WaitForAsync(i => i.Count >= 1, "the message the Python publisher published");
            Assert.Multiple(() =>
            {
                Assert.That(JsonDocument.Parse(items[0].Data).RootElement.GetProperty("id").GetInt32(), Is.EqualTo(42));
                Assert.That(output.Trim(), Is.EqualTo(items[0].EventId), "the publisher prints the answered id");
            });
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static Dictionary<string, string> Environment() => new() { ["CANDY_API_KEY"] = ApiSite.Key };

    /// <summary>The section's one fenced block of <paramref name="language"/>, pointed at the test server.</summary>
    private string Block(string language)
    {
        var blocks = FencedBlock().Matches(_section).Where(m => m.Groups["language"].Value == language).ToList();
        Assert.That(blocks, Has.Count.EqualTo(1), $"one ```{language} block in the README's section");
        return blocks[0].Groups["body"].Value.Replace(DocumentedAddress, _server.Address.ToString().TrimEnd('/'), StringComparison.Ordinal);
    }

    [GeneratedRegex("```(?<language>[a-z]+)\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
