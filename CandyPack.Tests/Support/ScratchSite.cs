using System.Text.RegularExpressions;

namespace CandyPack.Tests.Support;

/// <summary>
/// A site project written by a test into artifacts/sites/ inside the checkout, where a user's site would inherit the
/// repository's build settings if they leaked, referencing the framework project as the README's site does.
/// </summary>
internal sealed partial class ScratchSite : IDisposable
{
    private static readonly TimeSpan BuildDeadline = TimeSpan.FromMinutes(4);

    /// <param name="name">The project's name.</param>
    /// <param name="items">More project items (references), beside the framework's.</param>
    public ScratchSite(string name, string items = "")
    {
        Name = name;
        Folder = Path.Combine(Repository.Root, "artifacts", "sites", $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Folder);
        var framework = Path.GetRelativePath(Folder, Path.Combine(Repository.Root, "CandyPack.Framework", "CandyPack.Framework.csproj"));
        Write($"{name}.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{framework}" />
                {items}
              </ItemGroup>
            </Project>
            """);
    }

    public string Name { get; }

    public string Folder { get; }

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Builds the site as the host would (Debug, the SDK's defaults); returns the exit code, the output and its distinct diagnostics.</summary>
    public async Task<BuildResult> BuildAsync()
    {
        var (exitCode, output) = await CommandLine.RunAsync(
            "dotnet", Folder, new Dictionary<string, string>(), BuildDeadline, "build", "--nologo", "-v:q", "-clp:NoSummary");
        var diagnostics = Diagnostic().Matches(output).Select(m => $"{m.Groups["level"].Value} {m.Groups["code"].Value}: {m.Groups["where"].Value}").Distinct().ToList();
        return new BuildResult(exitCode, output, diagnostics);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException e)
        {
            TestContext.Out.WriteLine($"Could not delete {Folder}: {e.Message}");
        }
    }

    [GeneratedRegex(@"^(?<where>\S.*?): (?<level>error|warning) (?<code>[A-Z]+\d+):", RegexOptions.Multiline)]
    private static partial Regex Diagnostic();

    public sealed record BuildResult(int ExitCode, string Output, IReadOnlyList<string> Diagnostics)
    {
        public IEnumerable<string> Errors => Diagnostics.Where(d => d.StartsWith("error", StringComparison.Ordinal));

        public IEnumerable<string> Warnings => Diagnostics.Where(d => d.StartsWith("warning", StringComparison.Ordinal));
    }
}
