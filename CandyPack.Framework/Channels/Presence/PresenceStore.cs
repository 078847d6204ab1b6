using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CandyPack.Channels.Presence;

/// <summary>
/// Where a site's presence lives: this instance's connections, and with Redis every instance's. Each change answers
/// how many other connections (open or lingering) the same user has on the channel, atomically, which decides
/// <c>join</c> and <c>leave</c>.
/// </summary>
internal class PresenceStore
{
    /// <summary>This instance's connections per channel, by connection id.</summary>
    protected ConcurrentDictionary<string, ConcurrentDictionary<long, PresenceConnection>> Local { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How many connections (open or lingering) each user has per channel, kept beside <see cref="Local"/> so a join or
    /// leave asks one entry instead of counting every connection of the channel (which made a storm of n joins cost n²).
    /// </summary>
    private readonly Dictionary<(string Channel, string UserId), int> _perUser = [];

    private readonly Lock _gate = new();

    /// <summary>Adds a connection; answers how many other connections of its user the channel has.</summary>
    public virtual Task<int> AddAsync(string channel, long id, PresenceConnection connection)
    {
        lock (_gate)
        {
            var connections = Local.GetOrAdd(channel, _ => new());
            if (!connections.TryAdd(id, connection))
            {
                throw new InvalidOperationException($"Presence of channel '{channel}': connection {id} is already counted.");
            }

            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_perUser, (channel, connection.UserId), out _);
            var others = count;
            count = others + 1;
            return Task.FromResult(others);
        }
    }

    /// <summary>Marks a closed connection as lingering for the grace period: it still counts for join and leave, not in the list.</summary>
    public virtual Task MarkLingeringAsync(string channel, long id, PresenceConnection connection)
    {
        if (Local.TryGetValue(channel, out var connections))
        {
            connections[id] = connection with { Lingering = true };
        }

        return Task.CompletedTask;
    }

    /// <summary>Removes a connection; answers how many other connections of its user remain.</summary>
    public virtual Task<int> RemoveAsync(string channel, long id, PresenceConnection connection)
    {
        lock (_gate)
        {
            var key = (channel, connection.UserId);
            if (!RemoveLocal(channel, id) || !_perUser.TryGetValue(key, out var count))
            {
                return Task.FromResult(_perUser.GetValueOrDefault(key));
            }

            if (--count == 0)
            {
                _perUser.Remove(key);
            }
            else
            {
                _perUser[key] = count;
            }

            return Task.FromResult(count);
        }
    }

    /// <summary>Every connection of the channel, lingering ones included.</summary>
    public virtual Task<IReadOnlyList<PresenceConnection>> ListAsync(string channel) =>
        Task.FromResult<IReadOnlyList<PresenceConnection>>(Local.TryGetValue(channel, out var connections) ? [.. connections.Values] : []);

    /// <summary>Forgets a connection (and the channel, once it has none); false when it was not held.</summary>
    private bool RemoveLocal(string channel, long id)
    {
        if (!Local.TryGetValue(channel, out var connections) || !connections.TryRemove(id, out _))
        {
            return false;
        }

        if (connections.IsEmpty)
        {
            Local.TryRemove(KeyValuePair.Create(channel, connections));
        }

        return true;
    }
}
