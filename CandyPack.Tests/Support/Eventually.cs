namespace CandyPack.Tests.Support;

/// <summary>Waits for a condition with a deadline instead of sleeping and hoping.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(20);

    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? deadline = null, TimeSpan? poll = null)
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(10));
        }

        return true;
    }

    /// <summary>The same for a condition that has to await (an HTTP request, say); polls every 100 ms unless told.</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? deadline = null, TimeSpan? poll = null)
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }

        return true;
    }
}
