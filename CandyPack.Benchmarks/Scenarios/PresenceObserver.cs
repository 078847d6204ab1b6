using System.Diagnostics;
using System.Net;
using CandyPack.Benchmarks.Load;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// One subscriber of the room that asked for join and leave: it counts the <c>join</c> and <c>leave</c> events of the
/// storm's users (<c>u0</c> to <c>u{n-1}</c>), each user once, and notes when it has them all.
/// </summary>
internal sealed class PresenceObserver : IDisposable
{
    private static readonly byte[] UserPrefix = "\"userId\":\"u"u8.ToArray();

    private StreamClient? _client;
    private int[] _joined = [];
    private int[] _left = [];
    private int _joins;
    private int _leaves;
    private TaskCompletionSource<long> _allJoined = new();
    private TaskCompletionSource<long> _allLeft = new();

    /// <summary>Events that were not a first join or leave of a storm user: repeats, or users outside the storm.</summary>
    public int Unexpected { get; private set; }

    /// <summary>Subscribes at <paramref name="path"/> (with join and leave) and waits for the stream's first event.</summary>
    public static async Task<PresenceObserver> OpenAsync(IPEndPoint server, string path)
    {
        var observer = new PresenceObserver();
        var request = HttpRequests.Get(server, path, "text/event-stream");
        observer._client = await StreamClient.OpenAsync(server, request, 0, 16 * 1024, (_, type, data) => observer.Receive(type, data), CancellationToken.None);
        await observer._client.Opened.WaitAsync(TimeSpan.FromSeconds(30));
        return observer;
    }

    /// <summary>Expects the joins and leaves of <paramref name="users"/> users from now on.</summary>
    public void Expect(int users)
    {
        _joined = new int[users];
        _left = new int[users];
        _joins = 0;
        _leaves = 0;
        Unexpected = 0;
        _allJoined = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _allLeft = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the last expected join arrived.</summary>
    public Task<long> AllJoined => _allJoined.Task;

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the last expected leave arrived.</summary>
    public Task<long> AllLeft => _allLeft.Task;

    /// <summary>Completes when the observer's stream ends, which it should not while the scenario runs.</summary>
    public Task Ended => _client?.Completion ?? Task.CompletedTask;

    public int Joins => Volatile.Read(ref _joins);

    public int Leaves => Volatile.Read(ref _leaves);

    public void Dispose() => _client?.Dispose();

    private void Receive(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var join = type.SequenceEqual("join"u8);
        if (!join && !type.SequenceEqual("leave"u8))
        {
            return;
        }

        // The receive loop calls this one event at a time, so the arrays need no locking.
        var seen = join ? _joined : _left;
        var user = UserIndex(data);
        if (user < 0 || user >= seen.Length || seen[user]++ > 0)
        {
            Unexpected++;
            return;
        }

        if (join ? ++_joins == seen.Length : ++_leaves == seen.Length)
        {
            (join ? _allJoined : _allLeft).TrySetResult(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>n of <c>"userId":"u&lt;n&gt;"</c>, or -1.</summary>
    private static int UserIndex(ReadOnlySpan<byte> data)
    {
        var at = data.IndexOf(UserPrefix);
        if (at < 0)
        {
            return -1;
        }

        var index = 0;
        var digits = 0;
        for (var i = at + UserPrefix.Length; i < data.Length && data[i] is >= (byte)'0' and <= (byte)'9'; i++, digits++)
        {
            index = (index * 10) + (data[i] - '0');
        }

        return digits > 0 && digits < 9 && data.Length > at + UserPrefix.Length + digits && data[at + UserPrefix.Length + digits] == (byte)'"' ? index : -1;
    }
}
