using CandyPack.Benchmarks.Load;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>What one storm of streams opening or closing at once cost.</summary>
/// <param name="Time">Until every stream was open (or closed) and the server counted it so.</param>
/// <param name="Announced">Until the join/leave observer had every user's join (or leave); zero without one.</param>
/// <param name="Cpu">The server's CPU time over the whole storm, announcements included.</param>
/// <param name="Redis">Redis's own counts over the same window, when the server used Redis.</param>
internal sealed record PresenceStorm(TimeSpan Time, TimeSpan Announced, TimeSpan Cpu, RedisStats? Redis);
