namespace CandyPack.Benchmarks.Load;

/// <summary>A server's memory after a full collection: resident set (VmRSS) and the managed heap within it.</summary>
internal sealed record MemoryReading(long Resident, long ManagedHeap);
