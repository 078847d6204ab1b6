using CandyPack.Hosting;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Api.Site;

/// <summary>The server API test site: routes and startup from this namespace, with a config.json of the test's own.</summary>
internal static class ApiSite
{
    /// <summary>The key the sites below accept.</summary>
    public const string Key = "api-test-key-0123456789abcdef";

    /// <summary>The API on with <see cref="Key"/> and the policy "publishers"; rooms keep presence; three messages of history.</summary>
    public static string Config(string more = "") => $$"""
        {
          "api": { "enabled": true, "keys": [ "{{Key}}" ], "policy": "publishers", "maxBodySize": 4096 },
          "channels": { "presence": [ "room:*" ], "history": 3, "presenceGrace": 0 }{{more}}
        }
        """;

    public static SiteDefinition WithConfig(string? configJson)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", "api-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        if (configJson is not null)
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        }

        return new SiteDefinition(folder, typeof(ApiSite).Assembly, typeof(ApiSite).Namespace);
    }
}
