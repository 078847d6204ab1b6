using System.Collections.Concurrent;

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

    private readonly Lock _gate = new();

    /// <summary>Adds a connection; answers how many other connections of its user the channel has.</summary>
    public virtual Task<int> AddAsync(string channel, long id, PresenceConnection connection)
    {
        lock (_gate)
        {
            var others = CountLocal(channel, connection.UserId);
            Local.GetOrAdd(channel, _ => new())[id] = connection;
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
            RemoveLocal(channel, id);
            return Task.FromResult(CountLocal(channel, connection.UserId));
        }
    }

    /// <summary>Every connection of the channel, lingering ones included.</summary>
    public virtual Task<IReadOnlyList<PresenceConnection>> ListAsync(string channel) =>
        Task.FromResult<IReadOnlyList<PresenceConnection>>(Local.TryGetValue(channel, out var connections) ? [.. connections.Values] : []);

    protected void RemoveLocal(string channel, long id)
    {
        if (Local.TryGetValue(channel, out var connections) && connections.TryRemove(id, out _) && connections.IsEmpty)
        {
            Local.TryRemove(KeyValuePair.Create(channel, connections));
        }
    }

    private int CountLocal(string channel, string userId)
    {
        var count = 0;
        if (Local.TryGetValue(channel, out var connections))
        {
            foreach (var pair in connections)
            {
                if (pair.Value.UserId == userId)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
