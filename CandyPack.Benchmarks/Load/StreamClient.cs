using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// One event-stream client on a raw socket: a minimal GET, then a receive loop feeding <see cref="HttpResponseReader"/>.
/// Ten thousand of these cost a socket, a receive buffer and a parser each, far less than as many HttpClients.
/// </summary>
internal sealed class StreamClient : IDisposable
{
    private readonly Socket _socket;
    private readonly HttpResponseReader _reader;
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _disposed;

    private StreamClient(Socket socket, int index, ClientEventHandler onEvent)
    {
        _socket = socket;
        Index = index;
        _reader = new HttpResponseReader((type, data) =>
        {
            onEvent(this, type, data);
            _opened.TrySetResult();
        });
    }

    /// <summary>The client's position in its crowd, for results kept in arrays.</summary>
    public int Index { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp of the read that carried the event being handled.</summary>
    public long ReceivedAt { get; private set; }

    /// <summary>Completes at the first event, which both servers send as soon as a stream opens.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Completes when the response ends, the connection closes or the client is disposed; it never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public int StatusCode => _reader.StatusCode;

    /// <summary>The id of the last event with one, as a reconnecting client sends it in <c>Last-Event-ID</c>; null before any.</summary>
    public string? LastEventId => _reader.LastEventId.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(_reader.LastEventId);

    public bool ResponseComplete => _reader.IsComplete;

    /// <summary>What ended the connection early, if anything did.</summary>
    public Exception? Error { get; private set; }

    public static async Task<StreamClient> OpenAsync(
        IPEndPoint server, byte[] request, int index, int bufferSize, ClientEventHandler onEvent, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new StreamClient(socket, index, onEvent);
        client.Completion = client.ReceiveAsync(bufferSize);
        return client;
    }

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    private async Task ReceiveAsync(int bufferSize)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(bufferSize);
        try
        {
            while (!_reader.IsComplete)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    _reader.EndOfInput();
                    break;
                }

                ReceivedAt = Stopwatch.GetTimestamp();
                _reader.Feed(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            if (!_disposed)
            {
                Error = e;
            }
        }
        finally
        {
            _opened.TrySetException(new IOException(
                $"The stream ended before its first event (status {_reader.StatusCode}{(Error is null ? string.Empty : ", " + Error.Message)})."));
        }
    }
}
