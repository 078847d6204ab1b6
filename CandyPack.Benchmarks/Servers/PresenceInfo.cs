namespace CandyPack.Benchmarks.Servers;

/// <summary>The info object each presence subscriber gives on both servers, as a chat gives a display name.</summary>
internal sealed record PresenceInfo(string? Name);
