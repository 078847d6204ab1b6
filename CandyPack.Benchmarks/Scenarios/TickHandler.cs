namespace CandyPack.Benchmarks.Scenarios;

/// <summary>One tick arrived at client <paramref name="client"/> at <paramref name="receivedAt"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
internal delegate void TickHandler(int client, long receivedAt, long seq, long sent);
