using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// Presence written by hand on plain ASP.NET Core, the floor of a single-node presence: a dictionary of the open SSE
/// subscribers (the user from the same <c>user</c> query parameter) and a list of them grouped by user, in the
/// shape CandyPack answers. No join or leave, no grace period, nothing shared between instances.
/// </summary>
internal sealed class BaselinePresence : IBroadcaster
{
    private readonly ConcurrentDictionary<long, Subscriber> _subscribers = new();
    private long _nextId;

    public string Path => PresenceRooms.Room.Path;

    public int Subscribers => _subscribers.Count;

    public async IAsyncEnumerable<Tick> Subscribe(string? user, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        if (user is { Length: > 0 })
        {
            _subscribers[id] = new Subscriber(user, DateTimeOffset.UtcNow, new PresenceInfo(user));
        }

        try
        {
            yield return Tick.Opened;
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }

    /// <summary>One entry per user: their connection count, oldest connection and infos, oldest user first.</summary>
    public IReadOnlyList<Member> List()
    {
        var members = new Dictionary<string, Member>(StringComparer.Ordinal);
        foreach (var (_, subscriber) in _subscribers)
        {
            if (members.TryGetValue(subscriber.User, out var member))
            {
                var oldest = subscriber.Since < member.Since ? subscriber.Since : member.Since;
                members[subscriber.User] = new Member(member.UserId, member.Connections + 1, oldest, [.. member.Info, subscriber.Info]);
            }
            else
            {
                members[subscriber.User] = new Member(subscriber.User, 1, subscriber.Since, [subscriber.Info]);
            }
        }

        return [.. members.Values.OrderBy(m => m.Since).ThenBy(m => m.UserId, StringComparer.Ordinal)];
    }

    /// <summary>Nothing is published to the room in this scenario; a publish reaches no one.</summary>
    public Task<int> PublishAsync(Tick tick) => Task.FromResult(0);

    private sealed record Subscriber(string User, DateTimeOffset Since, PresenceInfo Info);

    /// <summary>An entry of the list, with CandyPack's field names.</summary>
    public sealed record Member(string UserId, int Connections, DateTimeOffset Since, IReadOnlyList<PresenceInfo> Info);
}
