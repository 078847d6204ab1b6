using System.Text;
using System.Text.RegularExpressions;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Client;

/// <summary>
/// Every <c>```csharp</c> block of docs/*.md marked <c>&lt;!-- project: client --&gt;</c> on the line before it (and
/// of CandyPack.Client's package README) compiles, as written, against CandyPack.Client in a project of its own with
/// the SDK's defaults, so the .NET client's documentation cannot drift from its API. A block is the body of an
/// <c>async</c> method with a <c>cancellationToken</c>; its leading <c>using</c> lines go to the top of the file; an
/// <c>http</c> client and a <c>client</c> are in scope (a block may declare its own), as are the types the pages use
/// without defining them.
/// </summary>
[TestFixture]
public sealed partial class ClientDocsCodeTests
{
    private const string ReaderTypes = """
        namespace ClientDocs;

        public sealed record Notification(string Text);

        public sealed record ChatLine(string Name, string Text);

        public sealed record TokenAnswer(string Token);
        """;

    [Test]
    public async Task EveryClientBlock_CompilesAgainstThePackage()
    {
        var pages = Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Append(Path.Combine(Repository.Root, "CandyPack.Client", "README.md"));
        var client = Path.Combine(Repository.Root, "CandyPack.Client", "CandyPack.Client.csproj");
        using var project = new ScratchSite("ClientDocs", $"""<ProjectReference Include="{client}" />""");
        project.Write("ReaderTypes.cs", ReaderTypes);
        var count = 0;
        foreach (var page in pages)
        {
            var text = (await File.ReadAllTextAsync(page)).ReplaceLineEndings("\n");
            foreach (Match block in ClientBlock().Matches(text))
            {
                var line = Regex.Count(text[..block.Index], "\n") + 2;
                var name = $"{Path.GetFileNameWithoutExtension(page)}-{Path.GetFileName(Path.GetDirectoryName(page))}-line-{line}";
                project.Write($"blocks/{name}.cs", Wrap(block.Groups["code"].Value, "Line" + line + "_" + count));
                count++;
            }
        }

        Assert.That(Regex.Count(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "dotnet-client.md")), "^```csharp", RegexOptions.Multiline),
            Is.EqualTo(ClientBlock().Count((await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "dotnet-client.md"))).ReplaceLineEndings("\n"))),
            "every csharp block of docs/dotnet-client.md is marked as client code");
        Assert.That(count, Is.GreaterThanOrEqualTo(5));

        var build = await project.BuildAsync();

        Assert.That(build.Errors, Is.Empty, $"the client's documented C# does not compile (blocks/<page>-<folder>-line-N.cs is the block starting at line N):{Environment.NewLine}{build.Output}");
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(build.Warnings, Is.Empty, "the client's documented C# builds without warnings under the SDK's defaults");
    }

    private static string Wrap(string code, string type)
    {
        var usings = new StringBuilder();
        var body = new StringBuilder();
        var leading = true;
        foreach (var codeLine in code.Split('\n'))
        {
            if (leading && (UsingDirective().IsMatch(codeLine) || codeLine.Trim().Length == 0))
            {
                usings.AppendLine(codeLine);
                continue;
            }

            leading = false;
            body.Append("        ").AppendLine(codeLine);
        }

        if (!usings.ToString().Contains("using CandyPack.Client;", StringComparison.Ordinal))
        {
            usings.AppendLine("using CandyPack.Client;");
        }

        return $$"""
            {{usings}}
            namespace ClientDocs;

            public static class {{type}}
            {
                private static readonly HttpClient http = new() { BaseAddress = new Uri("http://localhost:1071") };
                private static readonly CandyClient client = new(http);

                public static async Task Run(CancellationToken cancellationToken)
                {
            {{body}}
                }

                private static Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) => Task.FromResult("token");
            }
            """;
    }

    [GeneratedRegex(@"^using [\w.]+;\s*$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^<!-- project: client -->\n```csharp\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ClientBlock();
}
