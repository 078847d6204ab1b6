namespace CandyPack.Benchmarks.Load;

/// <summary>Opens many clients of one kind a batch at a time, and waits until each has had its first message.</summary>
internal static class CrowdOpener
{
    /// <summary>
    /// Connections being opened at once: enough to open 10,000 in seconds, few enough to stay inside Kestrel's
    /// listen backlog (512), where an overflow would cost a one-second SYN retry.
    /// </summary>
    private const int OpenConcurrency = 128;

    /// <summary>
    /// Creates client <c>i</c> with <paramref name="create"/> for each index and waits for its <paramref name="opened"/>
    /// task; if any fails or <paramref name="timeout"/> passes, every client made so far is disposed and the failure thrown.
    /// </summary>
    public static async Task<T[]> OpenAsync<T>(int count, Func<int, CancellationToken, Task<T>> create, Func<T, Task> opened, TimeSpan timeout)
        where T : class, IDisposable
    {
        var clients = new T[count];
        using var gate = new SemaphoreSlim(OpenConcurrency);
        using var cancel = new CancellationTokenSource(timeout);
        var opening = new List<Task>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                await gate.WaitAsync(cancel.Token);
                opening.Add(OpenOneAsync(i));
            }

            await Task.WhenAll(opening);
        }
        catch
        {
            // Let the openings still under way finish before their gate and token are disposed.
            await cancel.CancelAsync();
            await Task.WhenAll(opening).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            foreach (var client in clients)
            {
                client?.Dispose();
            }

            throw;
        }

        return clients;

        async Task OpenOneAsync(int index)
        {
            try
            {
                var client = await create(index, cancel.Token);
                clients[index] = client;
                await opened(client).WaitAsync(cancel.Token);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
