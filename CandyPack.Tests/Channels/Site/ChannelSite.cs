using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Channels.Site;

/// <summary>
/// The channel test site: routes from this namespace, config from Sites/channels (history 5, age 60 s) or
/// Sites/channels-wide (history 10,000).
/// </summary>
internal static class ChannelSite
{
    public static SiteDefinition Definition(string folder = "channels") =>
        new(Repository.TestSite(folder), typeof(ChannelSite).Assembly, typeof(ChannelSite).Namespace);

    /// <summary>The channel test site with its own config.json.</summary>
    public static SiteDefinition WithConfig(string configJson)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", "channels-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        return new SiteDefinition(folder, typeof(ChannelSite).Assembly, typeof(ChannelSite).Namespace);
    }

    /// <summary>The running site of a server that serves only this site.</summary>
    public static SiteRuntime Runtime(CandyServer server) => server.App.Services.GetRequiredService<SiteRegistry>().Sites[0];
}
