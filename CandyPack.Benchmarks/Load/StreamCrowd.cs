using System.Net;

namespace CandyPack.Benchmarks.Load;

/// <summary>Many open event streams to one server, opened a batch at a time and closed together.</summary>
internal sealed class StreamCrowd : IDisposable
{
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
        IPEndPoint server, Func<int, byte[]> request, int count, ClientEventHandler onEvent, int bufferSize, TimeSpan timeout) =>
        new(await CrowdOpener.OpenAsync(
            count,
            (index, cancellationToken) => StreamClient.OpenAsync(server, request(index), index, bufferSize, onEvent, cancellationToken),
            client => client.Opened,
            timeout));

    public void Dispose()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }
    }
}
