using System.Net;

namespace CandyPack.Benchmarks.Load;

/// <summary>Many open event streams to one server, opened a batch at a time and closed together.</summary>
internal sealed class StreamCrowd : IDisposable
{
    /// <summary>
    /// Connections being opened at once: enough to open 10,000 in seconds, few enough to stay inside Kestrel's
    /// listen backlog (512), where an overflow would cost a one-second SYN retry.
    /// </summary>
    private const int OpenConcurrency = 128;

    private StreamCrowd(StreamClient[] clients) => Clients = clients;

    public IReadOnlyList<StreamClient> Clients { get; }

    public int Count => Clients.Count;

    /// <summary>Opens <paramref name="count"/> streams and waits until each has had its first event.</summary>
    public static Task<StreamCrowd> OpenAsync(
        IPEndPoint server, string path, int count, ClientEventHandler onEvent, int bufferSize, TimeSpan timeout)
    {
        var request = HttpRequests.Get(server, path, "text/event-stream");
        return OpenAsync(server, _ => request, count, onEvent, bufferSize, timeout);
    }

    /// <summary>As above, each client sending its own request (<paramref name="request"/> of its index), such as a resume.</summary>
    public static async Task<StreamCrowd> OpenAsync(
        IPEndPoint server, Func<int, byte[]> request, int count, ClientEventHandler onEvent, int bufferSize, TimeSpan timeout)
    {
        var clients = new StreamClient[count];
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

        return new StreamCrowd(clients);

        async Task OpenOneAsync(int index)
        {
            try
            {
                var client = await StreamClient.OpenAsync(server, request(index), index, bufferSize, onEvent, cancel.Token);
                clients[index] = client;
                await client.Opened.WaitAsync(cancel.Token);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    public void Dispose()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }
    }
}
