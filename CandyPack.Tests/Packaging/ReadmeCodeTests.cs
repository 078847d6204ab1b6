using System.Text;
using System.Text.RegularExpressions;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Packaging;

/// <summary>
/// Every <c>```csharp</c> block of README.md and of docs/*.md compiles, as written, as part of one site inside the
/// checkout, so the documentation cannot drift from the API. A block is one or more files, each starting at a <c>// path.cs</c> comment line,
/// and gets only what a user's file gets: the SDK's implicit usings. A block that is deliberately a fragment says so in
/// an HTML comment on the line before it (invisible on the rendered page):
/// <c>&lt;!-- fragment: statements --&gt;</c> is the body of a controller's <c>async Task Handle(Candy candy)</c>,
/// <c>&lt;!-- fragment: map --&gt;</c> the body of a route file's <c>Map()</c>. A block that is not site code says which
/// project compiles it instead (<c>&lt;!-- project: client --&gt;</c>): that project's own test does, this one skips it.
/// </summary>
[TestFixture]
public sealed partial class ReadmeCodeTests
{
    /// <summary>The types the README uses without defining them, as a reader's site would have them.</summary>
    private const string ReaderTypes = """
        using CandyPack;

        namespace MySite;

        public sealed record User(long Id, string Name);

        public sealed record Post(long Id, string Title, long UserId);

        public interface IUserStore
        {
            Task<User?> FindAsync(string? id, CancellationToken cancellationToken);
        }
        """;

    [Test]
    public async Task EveryCSharpBlock_CompilesAsPartOfASite()
    {
        using var site = new ScratchSite("ReadmeSite");
        site.Write("ReaderTypes.cs", ReaderTypes);
        var written = 0;
        foreach (var document in Documents())
        {
            var name = Path.GetRelativePath(Repository.Root, document).Replace('\\', '/');
            var text = (await File.ReadAllTextAsync(document)).ReplaceLineEndings("\n");
            var blocks = Block().Matches(text);
            Assert.That(blocks, Has.Count.EqualTo(Regex.Count(text, "^```csharp", RegexOptions.Multiline)), $"every csharp block of {name} is recognised");
            var page = Path.ChangeExtension(name, null).Replace('/', '_').Replace('-', '_');
            foreach (Match block in blocks)
            {
                if (block.Groups["project"].Success)
                {
                    continue;
                }

                var line = Regex.Count(text[..block.Index], "\n") + (block.Groups["comment"].Success ? 2 : 1);
                written += WriteBlock(site, name, $"readme/{page}/line-{line}", $"{page}_Line{line}", line, block.Groups["code"].Value, block.Groups["fragment"].Value);
            }
        }

        Assert.That(written, Is.GreaterThan(0));

        var build = await site.BuildAsync();

        Assert.That(build.Errors, Is.Empty, $"The C# blocks of README.md and docs/ do not compile (readme/<page>/line-N[-part].cs is the block starting at line N of that page, such as readme/docs_streaming/line-20-1.cs):{Environment.NewLine}{build.Output}");
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(build.Warnings, Is.Empty, "documented code builds without warnings under the SDK's defaults");
    }

    /// <summary>README.md, then every page of docs/ in name order.</summary>
    private static IEnumerable<string> Documents() =>
        new[] { Path.Combine(Repository.Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal));

    /// <summary>Writes one block as one or more files of the site; returns how many.</summary>
    private static int WriteBlock(ScratchSite site, string document, string path, string type, int line, string code, string fragment)
    {
        if (fragment.Length == 0)
        {
            var parts = FileHeader().Split(code).Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            for (var part = 0; part < parts.Count; part++)
            {
                site.Write($"{path}-{part + 1}.cs", parts[part]);
            }

            return parts.Count;
        }

        site.Write($"{path}.cs", fragment switch
        {
            "statements" => Wrap(code, $"public static class {type}", "public static async Task Handle(Candy candy)"),
            "map" => Wrap(code, $"public sealed class {type} : RouteFile", "protected override void Map()"),
            _ => throw new AssertionException($"{document} line {line}: unknown fragment kind '{fragment}' (statements or map)."),
        });
        return 1;
    }

    private static string Wrap(string code, string type, string method)
    {
        var body = new StringBuilder();
        foreach (var codeLine in code.Split('\n'))
        {
            body.Append("        ").AppendLine(codeLine);
        }

        return $$"""
            using System.Runtime.CompilerServices;
            using System.Text.Json;
            using CandyPack;
            using CandyPack.Data;

            namespace MySite.Readme;

            {{type}}
            {
                {{method}}
                {
            {{body}}
                }
            }
            """;
    }

    /// <summary>A line such as <c>// controller/hello/get/Index.cs: what it does</c> starts another file of the block.</summary>
    [GeneratedRegex(@"^(?=// [\w./-]+\.cs\b)", RegexOptions.Multiline)]
    private static partial Regex FileHeader();

    [GeneratedRegex(@"(?:(?<comment><!-- (?:fragment: (?<fragment>\w+)|project: (?<project>[\w-]+)) -->)\n)?^```csharp\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();
}
