using CandyPack.Benchmarks.Site.Route;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Builder;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// The CandyPack server: the benchmark site (namespace <c>CandyPack.Benchmarks.Site</c>) in a regular host, or, for the
/// presence scenario, the presence site (<c>CandyPack.Benchmarks.PresenceSite</c>), which authenticates its requests.
/// </summary>
internal static class CandyServer
{
    public static (WebApplication App, IReadOnlyList<IBroadcaster> Broadcasters) Build() =>
        (Host(Site(typeof(Www), "Site")), [CandyChannelBroadcast.Shared, CandyHandleBroadcast.Shared]);

    public static (WebApplication App, IReadOnlyList<IBroadcaster> Broadcasters) BuildPresence() =>
        (Host(Site(typeof(PresenceSite.Route.Www), "PresenceSite")), [PresenceRooms.Room, PresenceRooms.Plain]);

    private static SiteDefinition Site(Type routeFile, string folder) =>
        new(Path.Combine(AppContext.BaseDirectory, folder), routeFile.Assembly, routeFile.Namespace![..^".Route".Length]);

    private static WebApplication Host(SiteDefinition site)
    {
        var options = new CandyHostOptions { ConfigureBuilder = ServerSetup.Configure };
        options.Urls.Add(ServerSetup.Url);
        options.Urls.Add(ServerSetup.H2cUrl);
        return CandyApplication.Build(options, [site]);
    }
}
