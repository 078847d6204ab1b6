using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;
using CandyPack.Benchmarks.Servers;
using StackExchange.Redis;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// The presence scenario's measurements on one server: storms of users opening and closing streams at once (users
/// <c>u0</c>…, one stream each, named by the <c>user</c> query parameter), and the time to answer the room's presence
/// list. CPU is the server's; with <paramref name="redis"/>, Redis's own counts and CPU over the same window.
/// </summary>
internal sealed class PresenceStorms(ServerProcess server, IServer? redis)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    /// <summary>The server is quiet when it uses at most <see cref="QuietCpu"/> (two clock ticks) in a <see cref="QuietWindow"/>.</summary>
    private static readonly TimeSpan QuietWindow = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan QuietCpu = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan QuietTimeout = TimeSpan.FromSeconds(10);

    public ServerProcess Server => server;

    /// <summary>
    /// Opens <paramref name="users"/> streams at <paramref name="path"/> at once. Measured until every client has its
    /// stream open, the server counts them, and (with an <paramref name="observer"/>) the observer has every user's join,
    /// which is sent only once the user is counted in presence.
    /// </summary>
    public async Task<(StreamCrowd Crowd, PresenceStorm Storm)> JoinAsync(string path, int users, PresenceObserver? observer)
    {
        observer?.Expect(users);
        var before = await ReadAsync();
        var start = Stopwatch.GetTimestamp();
        var crowd = await StreamCrowd.OpenAsync(
            server.EndPoint, i => HttpRequests.Get(server.EndPoint, UserPath(path, i), "text/event-stream"), users, (_, _, _) => { }, 1024, Timeout);
        try
        {
            var opened = Stopwatch.GetElapsedTime(start);
            await Subscription(path).WaitForSubscribersAsync(users + (observer is null ? 0 : 1), Timeout);
            var announced = observer is null ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start, await Wait(observer.AllJoined, observer, "joins"));
            return (crowd, await FinishAsync(before, opened, announced));
        }
        catch
        {
            crowd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Closes every stream of <paramref name="crowd"/> at once. Measured until the server has none of them left and
    /// (with an <paramref name="observer"/>) the observer has every user's leave, after the grace period.
    /// </summary>
    public async Task<PresenceStorm> LeaveAsync(StreamCrowd crowd, string path, PresenceObserver? observer)
    {
        var before = await ReadAsync();
        var start = Stopwatch.GetTimestamp();
        crowd.Dispose();
        await Subscription(path).WaitForSubscribersAsync(observer is null ? 0 : 1, Timeout);
        var closed = Stopwatch.GetElapsedTime(start);
        var announced = observer is null ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start, await Wait(observer.AllLeft, observer, "leaves"));
        return await FinishAsync(before, closed, announced);
    }

    /// <summary>A join storm and its leave storm, to compile and warm both paths before measuring.</summary>
    public async Task WarmUpAsync(string path, int users, PresenceObserver? observer)
    {
        var (crowd, _) = await JoinAsync(path, users, observer);
        await LeaveAsync(crowd, path, observer);
    }

    /// <summary>
    /// GETs the presence list <paramref name="requests"/> times, one after another, after a few untimed ones: the
    /// client-side time to the last byte of each, in milliseconds, sorted; the server's CPU time per request; and how
    /// many users the last one listed.
    /// </summary>
    public async Task<PresenceList> ListAsync(int requests)
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://" + server.EndPoint), Timeout = TimeSpan.FromSeconds(60) };
        byte[] body = [];
        for (var i = 0; i < 20; i++)
        {
            body = await http.GetByteArrayAsync(PresenceRooms.ListPath);
        }

        var times = new double[requests];
        await QuietAsync();
        var cpu = server.CpuTime;
        for (var i = 0; i < requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            body = await http.GetByteArrayAsync(PresenceRooms.ListPath);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        cpu = server.CpuTime - cpu;
        Array.Sort(times);
        using var list = JsonDocument.Parse(body);
        return new PresenceList(times, cpu / requests, list.RootElement.GetArrayLength());
    }

    private static string UserPath(string path, int user) => string.Create(CultureInfo.InvariantCulture, $"{path}?user=u{user}");

    private TickSubscription Subscription(string path) => new(server, path, server.Side + " " + path);

    private static async Task<long> Wait(Task<long> all, PresenceObserver observer, string what)
    {
        if (await Task.WhenAny(all, observer.Ended, Task.Delay(Timeout)) == all)
        {
            return await all;
        }

        throw new TimeoutException(observer.Ended.IsCompleted
            ? $"The join/leave observer's stream ended after {observer.Joins} joins and {observer.Leaves} leaves, while waiting for {what}; the server's log (above) says why."
            : $"The join/leave observer had {observer.Joins} joins and {observer.Leaves} leaves after {Timeout.TotalSeconds:0} s, still waiting for {what}.");
    }

    /// <summary>
    /// Reads the counters at the start of a measurement, once the server has gone quiet: the work of what came before
    /// (background compilation after the list's requests, a garbage collection) would otherwise count in this one.
    /// </summary>
    private async Task<(TimeSpan Cpu, RedisStats? Redis)> ReadAsync()
    {
        await QuietAsync();
        return (server.CpuTime, redis is null ? null : await RedisStats.ReadAsync(redis));
    }

    /// <summary>Waits (a few seconds at most) until the server's CPU time stops growing.</summary>
    private async Task QuietAsync()
    {
        var deadline = Stopwatch.StartNew();
        var cpu = server.CpuTime;
        while (deadline.Elapsed < QuietTimeout)
        {
            await Task.Delay(QuietWindow);
            var now = server.CpuTime;
            if (now - cpu <= QuietCpu)
            {
                break;
            }

            cpu = now;
        }
    }

    private async Task<PresenceStorm> FinishAsync((TimeSpan Cpu, RedisStats? Redis) before, TimeSpan done, TimeSpan announced)
    {
        var cpu = server.CpuTime - before.Cpu;
        var redisNow = redis is null ? null : await RedisStats.ReadAsync(redis);
        return new PresenceStorm(done, announced, cpu, redisNow is null || before.Redis is null ? null : redisNow.Since(before.Redis));
    }
}
