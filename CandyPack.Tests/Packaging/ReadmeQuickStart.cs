using System.Text.RegularExpressions;

namespace CandyPack.Tests.Packaging;

/// <summary>
/// The commands of README.md's "A site in one minute" block (its first <c>```sh</c> block), read from the README at
/// test time so the test runs what the README says: one command per line, a trailing <c># comment</c> dropped.
/// </summary>
internal sealed partial class ReadmeQuickStart
{
    private const string Heading = "## A site in one minute";

    private ReadmeQuickStart(IReadOnlyList<string> commands) => Commands = commands;

    public IReadOnlyList<string> Commands { get; }

    /// <summary>The commands before <c>candy run</c>: they finish on their own.</summary>
    public IEnumerable<string> Setup => Commands.TakeWhile(c => !c.StartsWith("candy run ", StringComparison.Ordinal));

    /// <summary>The <c>candy run</c> line: it serves until stopped.</summary>
    public string Run => Single("candy run ");

    /// <summary>The <c>curl</c> line that reads the stream.</summary>
    public string Curl => Single("curl ");

    public static ReadmeQuickStart Parse(string readme)
    {
        var section = readme.IndexOf(Heading, StringComparison.Ordinal);
        if (section < 0)
        {
            throw new FormatException($"README.md has no \"{Heading}\" section.");
        }

        var block = ShBlock().Match(readme, section);
        if (!block.Success)
        {
            throw new FormatException($"README.md's \"{Heading}\" section has no ```sh block.");
        }

        var commands = block.Groups["body"].Value.Split('\n')
            .Select(line => TrailingComment().Replace(line, string.Empty).Trim())
            .Where(line => line.Length > 0)
            .ToList();
        return new ReadmeQuickStart(commands);
    }

    private string Single(string prefix)
    {
        var matches = Commands.Where(c => c.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new FormatException($"README.md's quick start has {matches.Count} lines starting \"{prefix}\", one expected:{Environment.NewLine}{string.Join(Environment.NewLine, Commands)}");
    }

    [GeneratedRegex(@"^```sh\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex TrailingComment();
}
