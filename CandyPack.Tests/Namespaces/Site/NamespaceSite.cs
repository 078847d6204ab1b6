using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Namespaces.Site;

/// <summary>
/// The channel namespace test site: routes and startup from this namespace, and a config.json whose namespaces give
/// each option a prefix of its own (see <see cref="Config"/>).
/// </summary>
internal static class NamespaceSite
{
    /// <summary>
    /// Flat history 5 (the default namespace); "short:" keeps 2 and "short:long:" 8 (the longest prefix wins); "room:"
    /// keeps presence with join/leave for everyone, "listed:*" keeps it through the old channels.presence list;
    /// "limited:" takes 2 subscribers; "members:" no anonymous ones; "chat:" and "closed:" publish what WebSocket
    /// clients send ("closed:" is behind an authorizer); "price:" gives newcomers the latest message, and "state:" with no
    /// age limit.
    /// </summary>
    public static string Config(string more = "") => $$"""
        {
          "channels": {
            "history": 5, "historyAge": 60, "presence": [ "listed:*" ], "presenceGrace": 0,
            "namespaces": [
              { "prefix": "short:", "history": 2 },
              { "prefix": "short:long:", "history": 8 },
              { "prefix": "room:", "presence": true, "joinLeave": true },
              { "prefix": "limited:", "maxSubscribers": 2 },
              { "prefix": "members:", "allowAnonymous": false },
              { "prefix": "chat:", "allowClientPublish": true },
              { "prefix": "closed:", "allowClientPublish": true },
              { "prefix": "price:", "recover": "cache", "history": 3 },
              { "prefix": "state:", "recover": "cache", "history": 1, "historyAge": 0 }
            ]
          },
          "stream": { "heartbeat": 30 }{{more}}
        }
        """;

    public static SiteDefinition WithConfig(string configJson)
    {
        var folder = Path.Combine(Path.GetTempPath(), "candy-tests", "namespaces-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), configJson);
        return new SiteDefinition(folder, typeof(NamespaceSite).Assembly, typeof(NamespaceSite).Namespace);
    }

    public static SiteRuntime Runtime(CandyServer server) => server.App.Services.GetRequiredService<SiteRegistry>().Sites[0];

    /// <summary>A channel name under <paramref name="prefix"/> that no other test uses.</summary>
    public static string NewChannel(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The <c>X-User</c> header that makes a request that user (<see cref="HeaderAuthentication"/>).</summary>
    public static KeyValuePair<string, string>[] As(string user) => [new(HeaderAuthentication.Header, user)];
}
