namespace CandyPack.Benchmarks.Scenarios;

/// <summary>One server's figures in the presence scenario; the storms without presence only on CandyPack.</summary>
internal sealed record PresenceSide(PresenceList List, PresenceStorm Join, PresenceStorm Leave, PresenceStorm? PlainJoin, PresenceStorm? PlainLeave);
