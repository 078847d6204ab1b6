using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Presence.Site;

/// <summary>The presence test site: routes from this namespace, config from Sites/presence (or, with a per-user stream limit, Sites/presence-limited and Sites/presence-oldest).</summary>
internal static class PresenceSite
{
    public static SiteDefinition Definition(string folder = "presence") =>
        new(Repository.TestSite(folder), typeof(PresenceSite).Assembly, typeof(PresenceSite).Namespace);

    public static SiteRuntime Runtime(CandyServer server) => server.App.Services.GetRequiredService<SiteRegistry>().Sites[0];
}
