namespace CandyPack.Tests.Channels.Site;

/// <summary>
/// A subscriber's cleanup that blocks its thread until the test lets it go, as a synchronous database call or lock in
/// a <c>stream.CancellationToken</c> callback or an <c>On("close")</c> handler would. The stream runs it on the thread
/// pool, never on the thread that cut the stream (for a slow consumer, the one delivering a channel's message).
/// </summary>
internal static class BlockingCleanup
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(2);
    private static TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static ManualResetEventSlim _release = new(initialState: true);

    /// <summary>Completes once a cleanup has started blocking.</summary>
    public static Task Entered => Volatile.Read(ref _entered).Task;

    /// <summary>Makes the next cleanups block until <see cref="Release"/>.</summary>
    public static void Arm()
    {
        Volatile.Write(ref _entered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref _release, new ManualResetEventSlim(initialState: false));
    }

    public static void Release() => Volatile.Read(ref _release).Set();

    public static void Run()
    {
        var release = Volatile.Read(ref _release);
        Volatile.Read(ref _entered).TrySetResult();

        // Bounded, so a test that fails before releasing it does not hold a thread for the rest of the run.
        release.Wait(Longest);
    }
}
