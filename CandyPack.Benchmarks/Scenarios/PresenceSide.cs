namespace CandyPack.Benchmarks.Scenarios;

/// <summary>One server's figures in the presence scenario; the storms without presence only on CandyPack.</summary>
/// <param name="ListMilliseconds">The presence list's times, ascending.</param>
internal sealed record PresenceSide(double[] ListMilliseconds, PresenceStorm Join, PresenceStorm Leave, PresenceStorm? PlainJoin, PresenceStorm? PlainLeave);
