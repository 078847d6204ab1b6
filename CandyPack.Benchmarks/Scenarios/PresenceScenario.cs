using System.Globalization;
using CandyPack.Benchmarks.Cli;
using CandyPack.Benchmarks.Load;
using CandyPack.Benchmarks.Reporting;
using CandyPack.Benchmarks.Servers;
using StackExchange.Redis;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// (g) Presence: a room of 10,000 users, one stream each, authenticated by the presence site. Measured on CandyPack
/// in memory and with Redis, and on plain ASP.NET Core with presence written by hand (<see cref="BaselinePresence"/>):
/// the time to answer the room's presence list; a storm of every user opening a stream at once and then closing it,
/// against the same storm on a channel without presence (what presence costs per join and leave), with one
/// subscriber that asked for join and leave; with Redis, Redis's commands and CPU per join and leave.
/// </summary>
internal static class PresenceScenario
{
    /// <summary>A small storm of each kind first, so every path is compiled and warm before the measured one.</summary>
    private const int WarmupUsers = 200;

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var users = settings.PresenceClients;
        PresenceSide baseline;
        await using (var server = await ServerProcess.StartAsync("baseline"))
        {
            baseline = await MeasureAsync(new PresenceStorms(server, null), users, settings.PresenceListRequests, table, withPresence: false);
        }

        PresenceSide memory;
        await using (var server = await ServerProcess.StartAsync("presence"))
        {
            memory = await MeasureAsync(new PresenceStorms(server, null), users, settings.PresenceListRequests, table, withPresence: true);
        }

        var report = new PresenceReport(table, users, baseline);
        report.Add("in memory", memory);
        await using var own = settings.Redis is null ? await PrivateRedis.StartAsync() : null;
        var endPoint = settings.Redis ?? own?.EndPoint;
        if (endPoint is null)
        {
            table.Note("(g) there is no redis-server on PATH and no --redis host:port was given, so the presence rows with Redis are left out.");
            return;
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(endPoint + ",allowAdmin=true");
        await using (var server = await ServerProcess.StartAsync("presence", endPoint))
        await using (var other = await ServerProcess.StartAsync("presence", endPoint))
        {
            var redis = connection.GetServer(connection.GetEndPoints()[0]);
            report.Add("with Redis", await MeasureAsync(new PresenceStorms(server, redis), users, settings.PresenceListRequests, table, withPresence: true, new PresenceStorms(other, null)));
        }

        table.Note(string.Create(CultureInfo.InvariantCulture, $"(g) Redis at {endPoint}{(own is null ? " (--redis)" : ", a private redis-server started for this scenario")}."));
    }

    /// <summary>
    /// On CandyPack (<paramref name="withPresence"/>): the plain channel's storms, then the room's with the observer, and
    /// the list while the room is full. On the baseline: its hand-written presence's storms and list.
    /// </summary>
    /// <param name="otherInstance">A second instance on the same Redis, holding none of the streams: it answers the list from Redis alone.</param>
    private static async Task<PresenceSide> MeasureAsync(PresenceStorms storms, int users, int listRequests, ResultTable table, bool withPresence, PresenceStorms? otherInstance = null)
    {
        var room = PresenceRooms.Room.Path;
        using var observer = withPresence ? await PresenceObserver.OpenAsync(storms.Server.EndPoint, PresenceRooms.ObservePath + "?user=observer") : null;
        await storms.WarmUpAsync(room, WarmupUsers, observer);
        PresenceStorm? plainJoin = null;
        PresenceStorm? plainLeave = null;
        if (withPresence)
        {
            await storms.WarmUpAsync(PresenceRooms.Plain.Path, WarmupUsers, null);
            var (plain, joined) = await storms.JoinAsync(PresenceRooms.Plain.Path, users, null);
            plainJoin = joined;
            plainLeave = await storms.LeaveAsync(plain, PresenceRooms.Plain.Path, null);
            Console.Error.WriteLine($"    {storms.Server.Side}, without presence: join {Describe(plainJoin)}; leave {Describe(plainLeave)}");
        }

        var (crowd, join) = await storms.JoinAsync(room, users, observer);
        PresenceList list;
        PresenceList? remote = null;
        try
        {
            list = await storms.ListAsync(listRequests);
            if (otherInstance is not null)
            {
                remote = await otherInstance.ListAsync(listRequests);
                Console.Error.WriteLine($"    {storms.Server.Side}, list asked on another instance: p50 {Units.Milliseconds(Statistics.Percentile(remote.Milliseconds, 0.5))}, {Units.Milliseconds(remote.CpuPerRequest.TotalMilliseconds)} CPU each");
            }
        }
        catch
        {
            crowd.Dispose();
            throw;
        }

        var leave = await storms.LeaveAsync(crowd, room, observer);
        Console.Error.WriteLine($"    {storms.Server.Side}, room: join {Describe(join)}; leave {Describe(leave)}; list p50 {Units.Milliseconds(Statistics.Percentile(list.Milliseconds, 0.5))}, {Units.Milliseconds(list.CpuPerRequest.TotalMilliseconds)} CPU each");
        var expected = users + (observer is null ? 0 : 1);
        foreach (var (answered, where) in new[] { (list, "the instance holding the streams"), (remote, "another instance") })
        {
            if (answered is not null && answered.Users != expected)
            {
                table.Note($"(g) {storms.Server.Side}: the presence list from {where} had {answered.Users} users while {expected} were subscribed.");
            }
        }

        if (observer is { Unexpected: > 0 })
        {
            table.Note($"(g) {storms.Server.Side}: the join/leave observer got {observer.Unexpected} join or leave events beyond one of each per user.");
        }

        return new PresenceSide(list, join, leave, plainJoin, plainLeave, remote);
    }

    private static string Describe(PresenceStorm storm) =>
        $"{Units.Milliseconds(storm.Time.TotalMilliseconds)}, {Units.Milliseconds(storm.Cpu.TotalMilliseconds)} CPU";
}
