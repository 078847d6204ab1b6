using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// The stand-in for wrk when it is not installed: kept-alive connections on raw sockets, each sending the next GET as
/// soon as the last response has been read, for a fixed time.
/// </summary>
internal static class HttpLoadClient
{
    public static async Task<LoadResult> RunAsync(IPEndPoint server, string path, int connections, TimeSpan duration)
    {
        var request = HttpRequests.Get(server, path, "application/json");
        long requests = 0;
        long errors = 0;
        // A server that stops answering without closing must not hold the run: every read is bounded too.
        using var deadline = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(LoopAsync)));
        return new LoadResult(requests, clock.Elapsed, errors);

        async Task LoopAsync()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server, deadline.Token);
            var reader = new HttpResponseReader(null);
            var buffer = new byte[16 * 1024];
            while (clock.Elapsed < duration)
            {
                reader.Reset();
                await socket.SendAsync(request, SocketFlags.None, deadline.Token);
                while (!reader.IsComplete)
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                    if (read == 0)
                    {
                        throw new IOException($"The server closed a kept-alive connection after {requests} requests.");
                    }

                    reader.Feed(buffer.AsSpan(0, read));
                }

                Interlocked.Increment(ref reader.StatusCode == 200 ? ref requests : ref errors);
            }
        }
    }
}
