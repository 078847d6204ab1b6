using System.Text;
using System.Text.RegularExpressions;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Packaging;

/// <summary>
/// Every <c>```csharp</c> block of README.md compiles, as written, as part of one site inside the checkout, so the
/// README cannot drift from the API. A block is one or more files, each starting at a <c>// path.cs</c> comment line,
/// and gets only what a user's file gets: the SDK's implicit usings. A block that is deliberately a fragment says so in
/// an HTML comment on the line before it (invisible on the rendered page):
/// <c>&lt;!-- fragment: statements --&gt;</c> is the body of a controller's <c>async Task Handle(Candy candy)</c>,
/// <c>&lt;!-- fragment: map --&gt;</c> the body of a route file's <c>Map()</c>.
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
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        var blocks = Block().Matches(readme);
        Assert.That(blocks, Has.Count.EqualTo(Regex.Count(readme, "^```csharp", RegexOptions.Multiline)), "every csharp block is recognised");
        Assert.That(blocks, Is.Not.Empty);

        using var site = new ScratchSite("ReadmeSite");
        site.Write("ReaderTypes.cs", ReaderTypes);
        for (var i = 0; i < blocks.Count; i++)
        {
            var line = Regex.Count(readme[..blocks[i].Index], "\n") + 2;
            var code = blocks[i].Groups["code"].Value;
            var fragment = blocks[i].Groups["fragment"].Value;
            if (fragment.Length == 0)
            {
                var parts = FileHeader().Split(code).Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
                for (var part = 0; part < parts.Count; part++)
                {
                    site.Write($"readme/line-{line}-{part + 1}.cs", parts[part]);
                }

                continue;
            }

            site.Write($"readme/line-{line}.cs", fragment switch
            {
                "statements" => Wrap(code, $"public static class Line{line}", "public static async Task Handle(Candy candy)"),
                "map" => Wrap(code, $"public sealed class Line{line} : RouteFile", "protected override void Map()"),
                _ => throw new AssertionException($"README.md line {line}: unknown fragment kind '{fragment}' (statements or map)."),
            });
        }

        var build = await site.BuildAsync();

        Assert.That(build.Errors, Is.Empty, $"README.md's C# blocks do not compile (readme/line-N[-part].cs is the block starting at README line N):{Environment.NewLine}{build.Output}");
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(build.Warnings, Is.Empty, "README code builds without warnings under the SDK's defaults");
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

    [GeneratedRegex(@"(?:<!-- fragment: (?<fragment>\w+) -->\n)?^```csharp\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();
}
