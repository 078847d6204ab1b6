using System.Text.Json.Nodes;
using CandyPack.Hosting;

namespace CandyPack.Tests.Support;

/// <summary>
/// The example site with settings of its own: its files (config.json, public/, data/, schema.sql) copied to a
/// temporary folder, with <c>config.json</c> changed by the given sections, and the example's compiled code.
/// </summary>
internal static class ExampleSiteVariant
{
    /// <summary>The example site with each top-level section of <paramref name="settings"/> merged into its config.json.</summary>
    public static SiteDefinition With(string settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", "example-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var part in new[] { "public", "data" })
        {
            Copy(Path.Combine(Repository.ExampleSite, part), Path.Combine(folder, part));
        }

        File.Copy(Path.Combine(Repository.ExampleSite, "schema.sql"), Path.Combine(folder, "schema.sql"));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.ExampleSite, "config.json")))!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(settings)!.AsObject())
        {
            if (config[name] is not JsonObject section)
            {
                config[name] = section = [];
            }

            foreach (var (key, setting) in value!.AsObject())
            {
                section[key] = setting?.DeepClone();
            }
        }

        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        return new SiteDefinition(folder, typeof(ExampleSite.Route.Www).Assembly);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
