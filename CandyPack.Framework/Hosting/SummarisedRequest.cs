using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>
/// Marks a request whose end one summary line already tells for many (host shutdown or a retired build letting go of
/// every open stream at once), so a request log skips its own line instead of writing thousands at the same moment.
/// </summary>
internal static class SummarisedRequest
{
    private static readonly object Key = new();

    public static void Mark(HttpContext context) => context.Items[Key] = true;

    public static bool IsMarked(HttpContext context) => context.Items.ContainsKey(Key);
}
