using System.Net;
using System.Text.RegularExpressions;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Packaging;

/// <summary>
/// What a new user does, end to end on this machine: the packages packed into a local feed, the template installed
/// into a private hive (the machine's template list is left alone), a site created from it outside the repository,
/// built against the framework package, and served by the <c>candy</c> tool installed from the same feed.
/// The packages get a version of their own per run, so no cached package of the same version can stand in for them.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class TemplateTests
{
    private static readonly TimeSpan StepDeadline = TimeSpan.FromMinutes(5);

    private string _root = string.Empty;
    private string _feed = string.Empty;
    private string _version = string.Empty;
    private string _hive = string.Empty;
    private string _candy = string.Empty;
    private string _site = string.Empty;

    [OneTimeSetUp]
    public async Task PackInstallAndCreate()
    {
        _root = Path.Combine(Path.GetTempPath(), "candy-template-" + Guid.NewGuid().ToString("N")[..8]);
        _feed = Path.Combine(_root, "feed");
        _hive = Path.Combine(_root, "hive");
        _candy = Path.Combine(_root, "tools", "candy");
        _site = Path.Combine(_root, "my-site");
        _version = "0.0.1-test." + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(_root);

        // The site restores CandyPack.* from the local feed and everything else from the machine's usual sources;
        // packages land in a private folder, with the machine's folder as a read-only fallback so nothing downloads twice.
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_root, "packages")}" /></config>
              <packageSources><add key="candypack-local" value="{_feed}" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{machinePackages}" /></fallbackPackageFolders>
            </configuration>
            """);

        // Built in a folder of its own: the repository's bin/ and obj/ stay as the rest of the suite left them.
        await Run("bash", Repository.Root, "scripts/pack.sh", _feed, $"-p:Version={_version}", "--artifacts-path", Path.Combine(_root, "build"));
        await Run("dotnet", _root, "new", "install", Path.Combine(_feed, $"CandyPack.Templates.{_version}.nupkg"), "--debug:custom-hive", _hive);
        await Run("dotnet", _root, "new", "candypack", "-o", _site, "--debug:custom-hive", _hive);
        await Run("dotnet", _root, "tool", "install", "CandyPack.Tool", "--tool-path", Path.Combine(_root, "tools"), "--version", _version, "--add-source", _feed);
    }

    [OneTimeTearDown]
    public void RemoveTheFolder()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task NewSite_BuildsWithoutWarnings_AndTheToolServesItsStream()
    {
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_site, "my-site.csproj")), Does.Contain($"""<PackageReference Include="CandyPack.Framework" Version="{_version}" />"""));

        var build = await Run("dotnet", _site, "build", "--nologo", "-clp:NoSummary");
        Assert.That(Warning().Matches(build).Select(m => m.Value).Distinct(), Is.Empty, "a new site builds with no warnings under the SDK's defaults");

        await using var host = HostProcess.StartExecutable(_candy, "run", "--port", "0", _site);
        var address = await host.WaitForAddressAsync(StepDeadline);
        Assert.That(address, Is.Not.Null, host.Output);
        using var client = new HttpClient { BaseAddress = address };

        using var numbers = await client.GetAsync("/numbers", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(numbers.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(numbers.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        var events = await SseReader.ReadAllAsync(numbers);
        Assert.That(SseReader.Messages(events), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(events[^1].EventType, Is.EqualTo("end"));

        using var hello = await client.GetAsync("/hello", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(SseReader.Messages(await SseReader.ReadAllAsync(hello)), Is.EqualTo(new[] { "Hello World" }), "the template's controller answers its route");
    }

    [Test]
    public async Task CandyNew_WritesTheSiteDotnetNewWrites()
    {
        var other = Path.Combine(_root, "other-site");

        var output = await Run(_candy, _root, "new", other);

        Assert.That(Files(other), Is.EqualTo(Files(_site).Select(f => f.Replace("my-site", "other-site", StringComparison.Ordinal))), output);
        foreach (var file in Files(_site))
        {
            var expected = (await File.ReadAllTextAsync(Path.Combine(_site, file))).Replace("my_site", "other_site", StringComparison.Ordinal);
            var written = await File.ReadAllTextAsync(Path.Combine(other, file.Replace("my-site", "other-site", StringComparison.Ordinal)));
            Assert.That(written.ReplaceLineEndings(), Is.EqualTo(expected.ReplaceLineEndings()), file);
        }
    }

    [Test]
    public async Task CandyPublish_WritesAHostAndSiteThatServeWithoutBuilding()
    {
        var output = Path.Combine(_root, "published");

        await Run(_candy, _root, "publish", _site, output);

        await using var host = HostProcess.StartDll(Path.Combine(output, "host", "CandyPack.Host.dll"), "--no-build", "--port", "0", Path.Combine(output, "site"));
        var address = await host.WaitForAddressAsync(StepDeadline);
        Assert.That(address, Is.Not.Null, host.Output);
        using var client = new HttpClient { BaseAddress = address };
        using var numbers = await client.GetAsync("/numbers", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(SseReader.Messages(await SseReader.ReadAllAsync(numbers)), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(host.Output, Does.Not.Contain("Building site"));
    }

    private static List<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => !f.StartsWith("bin", StringComparison.Ordinal) && !f.StartsWith("obj", StringComparison.Ordinal) && !f.StartsWith(".candy", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static async Task<string> Run(string fileName, string workingDirectory, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var (exitCode, output) = await CommandLine.RunAsync(fileName, workingDirectory, environment, StepDeadline, arguments);
        Assert.That(exitCode, Is.Zero, $"{fileName} {string.Join(' ', arguments)} failed:{Environment.NewLine}{output}");
        return output;
    }

    [GeneratedRegex(@"warning [A-Z]+\d+:.*")]
    private static partial Regex Warning();
}
