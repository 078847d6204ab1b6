namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// One server's figures in the presence scenario; the storms without presence only on CandyPack, and with Redis the
/// list as a second instance, which holds none of the streams, answers it.
/// </summary>
internal sealed record PresenceSide(PresenceList List, PresenceStorm Join, PresenceStorm Leave, PresenceStorm? PlainJoin, PresenceStorm? PlainLeave, PresenceList? OtherInstanceList = null);
