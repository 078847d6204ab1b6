using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>
/// Work started in the background, such as a rebuild, the retirement of an old build or a Redis read: its failure is
/// logged, saying what the work was, instead of being lost with an unobserved task.
/// </summary>
internal sealed class BackgroundTasks(ILogger logger)
{
    /// <summary>Observes <paramref name="task"/>: logs its failure as "<paramref name="what"/> failed" when it ends.</summary>
    public void Run(Task task, string what) => _ = ObserveAsync(task, what);

    // Never faults: every outcome of the task is handled here.
    private async Task ObserveAsync(Task task, string what)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled by shutdown: nothing failed.
        }
        catch (Exception e)
        {
            logger.LogError(e, "{What} failed", what);
        }
    }
}
