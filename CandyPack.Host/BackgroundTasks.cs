using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CandyPack.Host;

/// <summary>
/// Work started in the background, such as a rebuild or the retirement of an old build: each task is kept until it
/// ends, and a failure is logged instead of being lost with an unobserved task.
/// </summary>
internal sealed class BackgroundTasks(ILogger logger)
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>Observes <paramref name="task"/>: logs its failure when it ends.</summary>
    public void Run(Task task)
    {
        _running[task] = 0;
        _ = ObserveAsync(task);
    }

    /// <summary>Completes when every task running now has ended.</summary>
    public Task WhenAll() => Task.WhenAll(_running.Keys);

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
        finally
        {
            _running.TryRemove(task, out _);
        }
    }
}
