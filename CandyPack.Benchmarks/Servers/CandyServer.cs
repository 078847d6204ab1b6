using CandyPack.Benchmarks.Site.Route;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Builder;

namespace CandyPack.Benchmarks.Servers;

/// <summary>The CandyPack server: the benchmark site (namespace <c>CandyPack.Benchmarks.Site</c>) in a regular host.</summary>
internal static class CandyServer
{
    public static (WebApplication App, IReadOnlyList<IBroadcaster> Broadcasters) Build()
    {
        var options = new CandyHostOptions { ConfigureBuilder = ServerSetup.Configure };
        options.Urls.Add(ServerSetup.Url);
        options.Urls.Add(ServerSetup.H2cUrl);
        var site = new SiteDefinition(Path.Combine(AppContext.BaseDirectory, "Site"), typeof(Www).Assembly, typeof(Www).Namespace![..^".Route".Length]);
        return (CandyApplication.Build(options, [site]), [CandyChannelBroadcast.Shared, CandyHandleBroadcast.Shared]);
    }
}
