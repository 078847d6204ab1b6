using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>
/// What a request log should know about a request that something else already reported: a failure logged once for
/// everyone (a database outage, the concurrency limit), or an end that one summary line tells for many (host shutdown
/// letting go of every open stream). A log then writes such a request below error level, or not at all, instead of
/// one error per refused request or thousands of lines at the same moment.
/// </summary>
internal static class RequestLogMark
{
    private static readonly object Key = new();

    public static void FailureReported(HttpContext context) => context.Items[Key] = RequestLogKind.FailureReported;

    public static void Summarised(HttpContext context) => context.Items[Key] = RequestLogKind.Summarised;

    public static RequestLogKind Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var kind) && kind is RequestLogKind known ? known : RequestLogKind.Own;
}
