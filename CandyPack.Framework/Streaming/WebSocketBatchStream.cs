using System.Buffers;

namespace CandyPack.Streaming;

/// <summary>
/// The upgraded connection under a stream's WebSocket, so that a batch of frames costs one write and one flush, as a
/// batch of SSE events does. ASP.NET Core's socket still frames every message (and compresses it, and pings); while
/// <see cref="Gather"/> is on, the frames it writes collect here, and <see cref="SendGatheredAsync"/> writes them to the
/// connection at once. Writes outside a batch (pings, pongs, the close frame) go straight through.
/// </summary>
/// <remarks>
/// The socket writes one frame at a time, but a write of its own can overlap the writing of a batch; the connection
/// takes one write at a time, so a semaphore orders them; a lock guards the gathered bytes. Frames are whole when they arrive, so their order between a
/// batch and a control frame does not matter.
/// </remarks>
internal sealed class WebSocketBatchStream(Stream connection) : Stream
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Lock _gate = new();
    private byte[]? _gathered;
    private int _length;

    /// <summary>Collects what the socket writes from now on, in a pooled buffer of about <paramref name="sizeHint"/> bytes.</summary>
    public void Gather(int sizeHint)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 256));
        lock (_gate)
        {
            _gathered = buffer;
            _length = 0;
        }
    }

    /// <summary>Writes what was gathered to the connection with one write, and stops gathering.</summary>
    public async ValueTask SendGatheredAsync()
    {
        var (gathered, length) = TakeGathered();
        if (gathered is null)
        {
            return;
        }

        try
        {
            if (length > 0)
            {
                await _writing.WaitAsync().ConfigureAwait(false);
                try
                {
                    await connection.WriteAsync(gathered.AsMemory(0, length)).ConfigureAwait(false);
                }
                finally
                {
                    _writing.Release();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    /// <summary>Stops gathering and drops what was gathered: the batch failed and the socket is closing.</summary>
    public void DropGathered()
    {
        if (TakeGathered().Buffer is { } gathered)
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_gathered is not null)
            {
                Append(buffer.Span);
                return default;
            }
        }

        return WriteThroughAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            if (_gathered is not null)
            {
                Append(buffer);
                return;
            }
        }

        _writing.Wait();
        try
        {
            connection.Write(buffer);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        connection.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        connection.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => connection.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => connection.FlushAsync(cancellationToken);

    public override void Flush() => connection.Flush();

    public override bool CanRead => connection.CanRead;

    public override bool CanWrite => connection.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropGathered();
            connection.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    private (byte[]? Buffer, int Length) TakeGathered()
    {
        lock (_gate)
        {
            var taken = (_gathered, _length);
            _gathered = null;
            _length = 0;
            return taken;
        }
    }

    /// <summary>Under the lock: adds a frame, moving to a larger pooled buffer when it does not fit.</summary>
    private void Append(ReadOnlySpan<byte> bytes)
    {
        var gathered = _gathered!;
        if (gathered.Length - _length < bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(gathered.Length * 2, _length + bytes.Length));
            gathered.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(gathered);
            _gathered = gathered = larger;
        }

        bytes.CopyTo(gathered.AsSpan(_length));
        _length += bytes.Length;
    }
}
