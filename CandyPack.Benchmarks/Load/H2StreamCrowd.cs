using System.Net;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// Many idle event streams multiplexed over a few cleartext HTTP/2 connections (prior knowledge, as to an
/// <c>h2c://</c> endpoint). Each connection is its own <see cref="SocketsHttpHandler"/> that may not open a second
/// one, so <c>count / perConnection</c> connections carry exactly <c>perConnection</c> streams each.
/// </summary>
internal sealed class H2StreamCrowd : IDisposable
{
    private readonly List<HttpClient> _connections;
    private readonly HttpResponseMessage?[] _responses;
    private readonly Task[] _reading;

    private H2StreamCrowd(List<HttpClient> connections, HttpResponseMessage?[] responses, Task[] reading)
    {
        _connections = connections;
        _responses = responses;
        _reading = reading;
    }

    /// <summary>Streams whose response has ended or failed since they opened.</summary>
    public int Closed => _reading.Count(t => t.IsCompleted);

    /// <summary>Opens the streams and waits until each has had its first event.</summary>
    public static async Task<H2StreamCrowd> OpenAsync(IPEndPoint server, string path, int count, int perConnection, TimeSpan timeout)
    {
        var uri = new Uri($"http://{server}{path}");
        var connections = new List<HttpClient>();
        for (var i = 0; i < (count + perConnection - 1) / perConnection; i++)
        {
            var handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            };
            connections.Add(new HttpClient(handler)
            {
                DefaultRequestVersion = HttpVersion.Version20,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Timeout = Timeout.InfiniteTimeSpan,
            });
        }

        var responses = new HttpResponseMessage?[count];
        var reading = Enumerable.Repeat(Task.CompletedTask, count).ToArray();
        var crowd = new H2StreamCrowd(connections, responses, reading);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            // A connection's streams open together; the connections one after another, as a client's pages would.
            for (var c = 0; c < connections.Count; c++)
            {
                var first = c * perConnection;
                await Task.WhenAll(Enumerable.Range(first, Math.Min(perConnection, count - first)).Select(i => OpenOneAsync(connections[c], i)));
            }
        }
        catch
        {
            crowd.Dispose();
            throw;
        }

        return crowd;

        async Task OpenOneAsync(HttpClient connection, int index)
        {
            var response = await connection.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            responses[index] = response;
            if (response.StatusCode != HttpStatusCode.OK || response.Version != HttpVersion.Version20)
            {
                throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode} over HTTP/{response.Version}, not 200 over HTTP/2.");
            }

            // The first event ends with a blank line; the stream then stays open with nothing more to read.
            var body = await response.Content.ReadAsStreamAsync(cancel.Token);
            var buffer = new byte[256];
            var seen = 0;
            while (seen < 2)
            {
                var read = await body.ReadAsync(buffer, cancel.Token);
                if (read == 0)
                {
                    throw new IOException($"Stream {index} of {uri} ended before its first event.");
                }

                foreach (var b in buffer.AsSpan(0, read))
                {
                    seen = b == (byte)'\n' ? seen + 1 : b == (byte)'\r' ? seen : 0;
                }
            }

            reading[index] = ReadToEndAsync(body);
        }
    }

    public void Dispose()
    {
        foreach (var response in _responses)
        {
            response?.Dispose();
        }

        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    /// <summary>Keeps a read pending, as a client would, and completes when the stream ends; never faults.</summary>
    private static async Task ReadToEndAsync(Stream body)
    {
        var buffer = new byte[256];
        try
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException)
        {
            // Ended by the server or by Dispose; Closed counts it either way.
        }
    }
}
