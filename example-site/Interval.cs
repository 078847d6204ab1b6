using CandyPack;

namespace ExampleSite;

/// <summary>The period of the periodic examples: one second as in the guide, or <c>?interval=ms</c>.</summary>
internal static class Interval
{
    public static TimeSpan Of(Candy candy) =>
        int.TryParse(candy.Request("interval"), out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromSeconds(1);

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
