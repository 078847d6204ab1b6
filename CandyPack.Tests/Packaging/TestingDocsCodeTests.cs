using System.Text.RegularExpressions;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Packaging;

/// <summary>
/// Every <c>```csharp</c> block of docs/*.md marked <c>&lt;!-- project: testing --&gt;</c> on the line before it compiles,
/// as written, as a file of a site's tests project: one that references CandyPack.Testing, NUnit (with its namespace as
/// a global using, as the template's tests project has it) and Microsoft.Extensions.TimeProvider.Testing, beside the
/// site type the blocks start (<c>MySite.Route.Www</c>). The site pages' own test leaves these blocks to this one.
/// </summary>
[TestFixture]
public sealed partial class TestingDocsCodeTests
{
    private const string Marker = "<!-- project: testing -->";

    private const string SiteTypes = """
        using CandyPack;

        namespace MySite.Route;

        public sealed class Www : RouteFile
        {
            protected override void Map() => Route.Get("/status", candy => new { status = "ok" });
        }
        """;

    [Test]
    public async Task EveryTestingBlock_CompilesInASitesTestsProject()
    {
        var blocks = new List<(string Name, string Code)>();
        var markers = 0;
        foreach (var doc in Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            var text = (await File.ReadAllTextAsync(doc)).ReplaceLineEndings("\n");
            markers += Regex.Count(text, Regex.Escape(Marker));
            foreach (Match block in TestingBlock().Matches(text))
            {
                blocks.Add(($"{Path.GetFileNameWithoutExtension(doc)}-line-{Regex.Count(text[..block.Index], "\n") + 2}", block.Groups["code"].Value));
            }
        }

        Assert.That(blocks, Is.Not.Empty, "docs/testing.md shows CandyPack.Testing in blocks marked " + Marker);
        Assert.That(blocks, Has.Count.EqualTo(markers), $"every {Marker} is followed at once by a ```csharp block");

        using var project = new ScratchSite("TestingDocs", TestsProjectItems());
        project.Write("SiteTypes.cs", SiteTypes);
        foreach (var (name, code) in blocks)
        {
            project.Write($"docs/{name}.cs", code);
        }

        var build = await project.BuildAsync();

        Assert.That(build.Errors, Is.Empty, $"the testing blocks of docs/ do not compile (docs/<page>-line-N.cs is the block starting at line N):{Environment.NewLine}{build.Output}");
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(build.Warnings, Is.Empty, "the testing blocks build without warnings under the SDK's defaults");
    }

    /// <summary>What a site's tests project references, on the package versions the repository's own tests use.</summary>
    private static string TestsProjectItems()
    {
        var versions = File.ReadAllText(Path.Combine(Repository.Root, "Directory.Packages.props"));
        return $"""
            <ProjectReference Include="{Path.Combine(Repository.Root, "CandyPack.Testing", "CandyPack.Testing.csproj")}" />
            <PackageReference Include="NUnit" Version="{Version(versions, "NUnit")}" />
            <PackageReference Include="Microsoft.Extensions.TimeProvider.Testing" Version="{Version(versions, "Microsoft.Extensions.TimeProvider.Testing")}" />
            <Using Include="NUnit.Framework" />
            """;
    }

    private static string Version(string packagesProps, string package)
    {
        var match = Regex.Match(packagesProps, $"""<PackageVersion Include="{Regex.Escape(package)}" Version="(?<version>[^"]+)" />""");
        Assert.That(match.Success, Is.True, $"Directory.Packages.props names a version of {package}");
        return match.Groups["version"].Value;
    }

    [GeneratedRegex(@"^<!-- project: testing -->\n```csharp\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex TestingBlock();
}
