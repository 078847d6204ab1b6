using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>
/// Marks a request whose failure was already reported once for everyone (a database outage, the concurrency limit),
/// so a request log can write its line below error level instead of one error per refused request.
/// </summary>
internal static class ReportedFailure
{
    private static readonly object Key = new();

    public static void Mark(HttpContext context) => context.Items[Key] = true;

    public static bool IsMarked(HttpContext context) => context.Items.ContainsKey(Key);
}
