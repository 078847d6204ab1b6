using CandyPack.Hosting;

namespace CandyPack.Tests.Support;

/// <summary>
/// A site whose code lives in this test assembly under <c>CandyPack.Tests.TestSites.&lt;name&gt;</c> and whose
/// folder (config.json, public/) is written to a temporary directory.
/// </summary>
internal static class TestSite
{
    public static SiteDefinition Create(string name, string? configJson = null, IDictionary<string, string>? files = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        if (configJson is not null)
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        }

        foreach (var (path, content) in files ?? new Dictionary<string, string>())
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return new SiteDefinition(folder, typeof(TestSite).Assembly, $"CandyPack.Tests.TestSites.{name}");
    }
}
