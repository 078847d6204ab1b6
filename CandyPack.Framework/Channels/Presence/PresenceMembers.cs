using System.Runtime.InteropServices;
using System.Text.Json;

namespace CandyPack.Channels.Presence;

/// <summary>
/// Turns a channel's connections into its presence list: one <see cref="PresenceMember"/> per user with open
/// connections, oldest first. One pass over the connections and one sort of the users, because the list of a room of
/// 10,000 is asked for while it fills: grouping with LINQ (a grouping, an ordered copy and an info array per user)
/// made the list cost more than serialising it.
/// </summary>
internal static class PresenceMembers
{
    public static IReadOnlyList<PresenceMember> Of(IReadOnlyList<PresenceConnection> connections)
    {
        // Most users have one connection: their first needs no list; a second one starts it.
        var byUser = new Dictionary<string, (PresenceConnection First, List<PresenceConnection>? All)>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            if (connection.Lingering)
            {
                continue;
            }

            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(byUser, connection.UserId, out var exists);
            if (!exists)
            {
                entry = (connection, null);
            }
            else
            {
                (entry.All ??= [entry.First]).Add(connection);
            }
        }

        var members = new PresenceMember[byUser.Count];
        var index = 0;
        foreach (var (userId, (first, all)) in byUser)
        {
            members[index++] = all is null ? Single(userId, first) : Several(userId, all);
        }

        Array.Sort(members, static (a, b) => a.Since != b.Since ? a.Since.CompareTo(b.Since) : string.CompareOrdinal(a.UserId, b.UserId));
        return members;
    }

    private static PresenceMember Single(string userId, PresenceConnection connection) =>
        new(userId, 1, DateTimeOffset.FromUnixTimeMilliseconds(connection.Since), connection.Info is { } info ? [info] : []);

    private static PresenceMember Several(string userId, List<PresenceConnection> connections)
    {
        // Stable, so connections opened in the same millisecond keep the store's order, as an ordering query would.
        var ordered = connections.OrderBy(c => c.Since).ToArray();
        var infos = new List<JsonElement>(ordered.Length);
        foreach (var connection in ordered)
        {
            if (connection.Info is { } info)
            {
                infos.Add(info);
            }
        }

        return new PresenceMember(userId, ordered.Length, DateTimeOffset.FromUnixTimeMilliseconds(ordered[0].Since), infos);
    }
}
