using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Client.Site;

/// <summary>The .NET client's test site: routes from this namespace, config written per fixture (history, retry hint, Redis).</summary>
internal static class ClientSite
{
    /// <summary>The site with <paramref name="configJson"/> as its config.json, in a folder of its own.</summary>
    public static SiteDefinition WithConfig(string configJson)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", "client-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        return new SiteDefinition(folder, typeof(ClientSite).Assembly, typeof(ClientSite).Namespace);
    }

    /// <summary>A channel of the running site of a server that serves only this site, to publish to in process.</summary>
    public static CandyChannel Channel(CandyServer server, string name) =>
        server.App.Services.GetRequiredService<SiteRegistry>().Sites[0].Channels.Channel(name);

    public static string NewName() => "client-" + Guid.NewGuid().ToString("N")[..12];
}
