namespace CandyPack.Benchmarks.Scenarios;

/// <summary>What answering the presence list cost, measured over consecutive requests.</summary>
/// <param name="Milliseconds">Each request's time to its last byte at the client, ascending.</param>
/// <param name="CpuPerRequest">The server's CPU time over all the requests, per request.</param>
/// <param name="Users">How many users the last answer listed.</param>
internal sealed record PresenceList(double[] Milliseconds, TimeSpan CpuPerRequest, int Users);
