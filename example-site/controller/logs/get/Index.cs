using System.Runtime.CompilerServices;
using CandyPack;

namespace ExampleSite.Controller.Logs.Get;

/// <summary>GET /logs: real-time logs, a message per log line as the deployment produces it.</summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        var interval = Interval.Of(candy);
        candy.Stream(Logs);

        async IAsyncEnumerable<object> Logs([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var logStream = GetDeploymentLogs(interval, cancellationToken);

            await foreach (var log in logStream)
            {
                yield return new
                {
                    timestamp = Interval.Now,
                    message = log,
                };
            }
        }
    }

    /// <summary>A deployment that reports its progress, one line per step.</summary>
    private static async IAsyncEnumerable<string> GetDeploymentLogs(TimeSpan interval, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[] steps = ["Pulling image", "Building", "Running migrations", "Starting instances", "Health check passed", "Deployed"];
        foreach (var step in steps)
        {
            await Task.Delay(interval, cancellationToken);
            yield return step;
        }
    }
}
