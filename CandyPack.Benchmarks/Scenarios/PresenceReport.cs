using System.Globalization;
using CandyPack.Benchmarks.Reporting;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>The presence scenario's rows: one set per CandyPack configuration, each against the baseline's figures.</summary>
internal sealed class PresenceReport(ResultTable table, int users, PresenceSide baseline)
{
    private readonly string _count = users.ToString("N0", CultureInfo.InvariantCulture);

    public void Add(string how, PresenceSide candy)
    {
        var list = $"(g) presence list of a channel with {_count} subscribers ({_count} users) as JSON over HTTP, {how}";
        table.Add(new Measurement($"{list}: p50", Percentile(candy, 0.5), Percentile(baseline, 0.5), Units.Milliseconds));
        table.Add(new Measurement($"{list}: p99", Percentile(candy, 0.99), Percentile(baseline, 0.99), Units.Milliseconds, Target.Below(50, "50 ms")));
        table.Add(new Measurement($"{list}: server CPU per request", candy.List.CpuPerRequest.TotalMilliseconds, baseline.List.CpuPerRequest.TotalMilliseconds, Units.Milliseconds));
        if (candy.OtherInstanceList is { } other)
        {
            var remote = $"{list}, asked on a second instance that holds none of the streams (every entry read from Redis)";
            table.Add(new Measurement($"{remote}: p50", Statistics.Percentile(other.Milliseconds, 0.5), Percentile(baseline, 0.5), Units.Milliseconds));
            table.Add(new Measurement($"{remote}: p99", Statistics.Percentile(other.Milliseconds, 0.99), Percentile(baseline, 0.99), Units.Milliseconds, Target.Below(50, "50 ms")));
            table.Add(new Measurement($"{remote}: server CPU per request", other.CpuPerRequest.TotalMilliseconds, baseline.List.CpuPerRequest.TotalMilliseconds, Units.Milliseconds));
        }


        var join = $"(g) join storm: {_count} users open a stream each at once on a presence channel, {how}";
        table.Add(new Measurement($"{join}: time until every stream is open", Ms(candy.Join.Time), Ms(baseline.Join.Time), Units.Milliseconds));
        table.Add(new Measurement($"{join}: time until a join/leave subscriber has all {_count} joins", Ms(candy.Join.Announced), double.NaN, Units.Milliseconds));
        table.Add(new Measurement($"{join}: server CPU", Ms(candy.Join.Cpu), Ms(baseline.Join.Cpu), Units.Milliseconds));
        AddCost(join, "join", candy.Join, candy.PlainJoin);

        var leave = $"(g) leave storm: the {_count} streams close at once (presenceGrace 1 s), {how}";
        table.Add(new Measurement($"{leave}: time until the server has closed every stream", Ms(candy.Leave.Time), Ms(baseline.Leave.Time), Units.Milliseconds));
        table.Add(new Measurement($"{leave}: time until the join/leave subscriber has all {_count} leaves", Ms(candy.Leave.Announced), double.NaN, Units.Milliseconds));
        table.Add(new Measurement($"{leave}: server CPU", Ms(candy.Leave.Cpu), Ms(baseline.Leave.Cpu), Units.Milliseconds));
        AddCost(leave, "leave", candy.Leave, candy.PlainLeave);
    }

    private void AddCost(string name, string what, PresenceStorm storm, PresenceStorm? plain)
    {
        if (plain is not null)
        {
            table.Add(new Measurement($"{name}: server CPU of the same storm on a channel without presence", Ms(plain.Cpu), double.NaN, Units.Milliseconds));
            table.Add(new Measurement($"{name}: presence's server CPU per {what} (with − without) ÷ {_count}", (storm.Cpu - plain.Cpu).TotalSeconds / users, double.NaN, Units.Microseconds));
        }

        if (storm.Redis is { } redis)
        {
            table.Add(new Measurement($"{name}: Redis commands per {what}", (double)redis.Commands / users, double.NaN, Units.Number));
            table.Add(new Measurement($"{name}: Redis CPU per {what}", redis.Cpu.TotalSeconds / users, double.NaN, Units.Microseconds));
            table.Note($"(g) Redis commands per {what} by command: {redis.Describe(users)}; without presence: {plain?.Redis?.Describe(users) ?? "not measured"}.");
        }
    }

    private static double Percentile(PresenceSide side, double fraction) => Statistics.Percentile(side.List.Milliseconds, fraction);

    private static double Ms(TimeSpan time) => time.TotalMilliseconds;
}
