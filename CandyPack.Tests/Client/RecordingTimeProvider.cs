using Microsoft.Extensions.Time.Testing;

namespace CandyPack.Tests.Client;

/// <summary>A clock the test moves that also keeps the due time of every one-shot timer started on it: the client's reconnect waits.</summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly List<TimeSpan> _waits = [];

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
            {
                return [.. _waits];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period == Timeout.InfiniteTimeSpan)
        {
            lock (_waits)
            {
                _waits.Add(dueTime);
            }
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }
}
