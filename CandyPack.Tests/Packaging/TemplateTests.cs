using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Packaging;

/// <summary>
/// What a new user does, end to end: README.md's "A site in one minute" block run as written (its commands read from
/// the README), on the default version, from a copy of the checkout without build output or packages, with a HOME,
/// NuGet folder and tool folder of its own so that nothing of this machine's (a cached package, an installed template
/// or tool) can stand in, and nothing of it is changed. Then what the rest of the README promises of that site and tool.
/// The only things that differ from a user's terminal: <c>~/.dotnet/tools</c> is on PATH (as the README asks), and
/// the site listens on a free port (<c>CANDY_SERVER__PORT</c>) rather than 1071, which the curl line follows.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class TemplateTests
{
    private const string DefaultPort = "1071";
    private static readonly TimeSpan StepDeadline = TimeSpan.FromMinutes(10);

    private ReadmeQuickStart _readme = null!;
    private string _root = string.Empty;
    private string _checkout = string.Empty;
    private string _home = string.Empty;
    private string _site = string.Empty;
    private string _candy = string.Empty;
    private int _port;
    private Dictionary<string, string> _environment = [];

    [OneTimeSetUp]
    public async Task RunTheReadmeUpToCandyRun()
    {
        _readme = ReadmeQuickStart.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md")));
        _root = Path.Combine(Path.GetTempPath(), "candy-readme-" + Guid.NewGuid().ToString("N")[..8]);
        _checkout = Path.Combine(_root, "checkout");
        _home = Path.Combine(_root, "home");
        _site = Path.Combine(_home, "my-site");
        _candy = Path.Combine(_home, ".dotnet", "tools", "candy");
        _port = FreePort();
        Directory.CreateDirectory(_home);
        await CopyCheckout(_checkout);
        _environment = new Dictionary<string, string>
        {
            ["HOME"] = _home,
            ["DOTNET_CLI_HOME"] = _home,
            ["NUGET_PACKAGES"] = Path.Combine(_root, "nuget-packages"),
            ["PATH"] = Path.Combine(_home, ".dotnet", "tools") + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["CANDY_SERVER__PORT"] = _port.ToString(CultureInfo.InvariantCulture),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",

            // Build servers would outlive the test with its HOME; a user's stay, which changes nothing here.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
        };

        foreach (var command in _readme.Setup)
        {
            await Shell(command);
        }
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
    public async Task ReadmeBlock_AsWritten_ServesTheNumbersAsEvents()
    {
        Assert.That(_readme.Curl, Does.Contain($":{DefaultPort}/"), "the curl line reads the port candy run serves on by default");
        await using var candy = HostProcess.StartExecutable("bash", _checkout, _environment, "-c", "exec " + _readme.Run);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var numbers = new Uri($"http://127.0.0.1:{_port}/numbers");
        var serving = await Eventually.TrueAsync(async () => candy.HasExited || await Answers(client, numbers), StepDeadline);
        Assert.That(serving && !candy.HasExited, Is.True, $"{_readme.Run} serves /numbers:{Environment.NewLine}{candy.Output}");

        var curl = await Shell(_readme.Curl.Replace($":{DefaultPort}/", $":{_port}/", StringComparison.Ordinal));

        var events = Events(curl);
        Assert.That(events.Where(e => e.Event is null).Select(e => e.Data), Is.EqualTo(new[] { "1", "2", "3", "4", "5" }), curl);
        Assert.That(events[^1].Event, Is.EqualTo("end"), "the stream ends, so curl -N returns");
    }

    [Test]
    public async Task NewSite_BuildsWithoutWarnings_AgainstTheFrameworkPackageOfTheSameVersion()
    {
        var version = await PackageVersion();
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_site, "my-site.csproj")), Does.Contain($"""<PackageReference Include="CandyPack.Framework" Version="{version}" />"""));

        var build = await Run("dotnet", _site, "build", "--nologo", "-clp:NoSummary");

        Assert.That(Warning().Matches(build).Select(m => m.Value).Distinct(), Is.Empty, "a new site builds with no warnings under the SDK's defaults");
    }

    /// <summary>
    /// <c>dotnet new candypack --tests</c> in the README's setting (its template, its feed with the packed packages) adds
    /// a tests project whose example tests pass with <c>dotnet test</c>, built without warnings against the packed
    /// CandyPack.Testing.
    /// </summary>
    [Test]
    public async Task NewSiteWithTests_PassesDotnetTest_WithThePackedTestingPackage()
    {
        var site = Path.Combine(_home, "tested-site");
        await Run("dotnet", _home, "new", "candypack", "-o", site, "--tests");
        Assert.That(
            await File.ReadAllTextAsync(Path.Combine(site, "tests", "tested-site.Tests.csproj")),
            Does.Contain($"""<PackageReference Include="CandyPack.Testing" Version="{await PackageVersion()}" />"""));

        var build = await Run("dotnet", site, "build", "tests", "--nologo", "-clp:NoSummary");
        var test = await Run("dotnet", site, "test", "tests", "--no-build", "--nologo");

        Assert.That(Warning().Matches(build).Select(m => m.Value).Distinct(), Is.Empty, "the tests project builds with no warnings under the SDK's defaults");
        Assert.That(TestSummary().Match(test).Groups["passed"].Value, Is.EqualTo("3"), test);
        Assert.That(test, Does.Not.Match(@"Failed:\s+[1-9]"), test);
    }

    [Test]
    public async Task PackScript_PutsTheTestingPackageOnTheFeed_WithItsReadmeAndXmlDocs()
    {
        var package = Path.Combine(_checkout, "artifacts", "packages", $"CandyPack.Testing.{await PackageVersion()}.nupkg");
        Assert.That(File.Exists(package), Is.True, $"{package} is packed by scripts/pack.sh");

        using var archive = System.IO.Compression.ZipFile.OpenRead(package);

        Assert.That(archive.Entries.Select(e => e.FullName), Does.Contain("lib/net10.0/CandyPack.Testing.dll").And.Contain("lib/net10.0/CandyPack.Testing.xml"));
        using var readme = new StreamReader(archive.GetEntry("README.md")!.Open());
        Assert.That(
            (await readme.ReadToEndAsync()).ReplaceLineEndings(),
            Is.EqualTo((await File.ReadAllTextAsync(Path.Combine(Repository.Root, "CandyPack.Testing", "README.md"))).ReplaceLineEndings()),
            "the package carries its own README, not the repository's");
    }

    [Test]
    public async Task PackSh_PutsTheFivePackagesOnTheFeed_TheDotNetClientWithItsOwnReadmeAndXmlDocs()
    {
        var version = VersionPrefix().Match(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "build", "Package.props"))).Groups["version"].Value;
        var feed = Path.Combine(_checkout, "artifacts", "packages");

        var packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.That(packages, Is.EqualTo(new[] { "Client", "Framework", "Templates", "Testing", "Tool" }.Select(p => $"CandyPack.{p}.{version}.nupkg")));
        using var client = ZipFile.OpenRead(Path.Combine(feed, $"CandyPack.Client.{version}.nupkg"));
        Assert.That(client.Entries.Select(e => e.FullName), Is.SupersetOf(new[] { "README.md", "lib/net10.0/CandyPack.Client.dll", "lib/net10.0/CandyPack.Client.xml" }));
        using var readme = new StreamReader(client.GetEntry("README.md")!.Open());
        Assert.That(await readme.ReadLineAsync(), Is.EqualTo("# CandyPack.Client"), "the client's own README, not the framework's");
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

    /// <summary>The checkout as a fresh clone has it: the files git tracks or would add, without build output or packages.</summary>
    private static async Task CopyCheckout(string destination)
    {
        var (exitCode, listing) = await CommandLine.RunAsync("git", Repository.Root, new Dictionary<string, string>(), StepDeadline, "ls-files", "--cached", "--others", "--exclude-standard");
        Assert.That(exitCode, Is.Zero, listing);
        foreach (var file in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var source = Path.Combine(Repository.Root, file);
            if (!File.Exists(source))
            {
                continue; // deleted in the work tree, not yet in the index
            }

            var target = Path.Combine(destination, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(source));
            }
        }
    }

    /// <summary>The events in curl's output (its progress meter, on stderr, is on lines of its own): a message's data, and its event field.</summary>
    private static List<(string? Event, string Data)> Events(string output)
    {
        var events = new List<(string? Event, string Data)>();
        string? type = null;
        foreach (var line in output.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) || line == "data:")
            {
                events.Add((type, line.Length > "data: ".Length ? line["data: ".Length..] : string.Empty));
                type = null;
            }
        }

        return events;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> Answers(HttpClient client, Uri uri)
    {
        try
        {
            using var response = await client.GetAsync(uri);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet: candy run is still building the site
        }
    }

    private static List<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => !f.StartsWith("bin", StringComparison.Ordinal) && !f.StartsWith("obj", StringComparison.Ordinal) && !f.StartsWith(".candy", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static async Task<string> PackageVersion() =>
        VersionPrefix().Match(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "build", "Package.props"))).Groups["version"].Value;

    /// <summary>A README line as a user's shell runs it, from the checkout.</summary>
    private Task<string> Shell(string command) => Run("bash", _checkout, "-c", command);

    private async Task<string> Run(string fileName, string workingDirectory, params string[] arguments)
    {
        var watch = Stopwatch.StartNew();
        var (exitCode, output) = await CommandLine.RunAsync(fileName, workingDirectory, _environment, StepDeadline, arguments);
        TestContext.Progress.WriteLine($"{string.Join(' ', arguments)}: exit {exitCode} after {watch.Elapsed.TotalSeconds:0}s");
        Assert.That(exitCode, Is.Zero, $"{fileName} {string.Join(' ', arguments)} failed:{Environment.NewLine}{output}");
        return output;
    }

    [GeneratedRegex(@"warning [A-Z]+\d+:.*")]
    private static partial Regex Warning();

    [GeneratedRegex(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();

    [GeneratedRegex(@"<VersionPrefix>(?<version>[^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}
