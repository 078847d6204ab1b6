using System.Collections.Concurrent;

namespace CandyPack.Tests.Support;

/// <summary>Counters that test-site code bumps (a cleanup ran, a generator's finally ran), keyed per test.</summary>
internal static class Probe
{
    private static readonly ConcurrentDictionary<string, int> Counters = new();

    public static string NewKey() => Guid.NewGuid().ToString("N");

    public static void Hit(string? key, string what) => Counters.AddOrUpdate($"{key}:{what}", 1, (_, n) => n + 1);

    public static int Count(string key, string what) => Counters.TryGetValue($"{key}:{what}", out var n) ? n : 0;
}
