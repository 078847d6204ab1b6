using Microsoft.Extensions.Logging;

namespace CandyPack.Host;

/// <summary>
/// Work started in the background, such as a rebuild or the retirement of an old build: its failure is logged
/// instead of being lost with an unobserved task.
/// </summary>
internal sealed class BackgroundTasks(ILogger logger)
{
    /// <summary>Observes <paramref name="task"/>: logs its failure when it ends.</summary>
    public void Run(Task task) => _ = ObserveAsync(task);

    // Never faults: every outcome of the task is handled here.
    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled by the host's shutdown: nothing failed.
        }
        catch (Exception e)
        {
            logger.LogError(e, "A background task of the site reloader failed");
        }
    }
}
