using System.Buffers;

namespace CandyPack.Streaming;

/// <summary>
/// The upgraded connection under a stream's WebSocket, so that a batch of frames costs one write and one flush, as a
/// batch of SSE events does. ASP.NET Core's socket still frames every message (and compresses it, and pings): while a
/// batch is <see cref="Gather">gathered</see>, the frames it writes collect here, and the batch's last frame writes
/// them all to the connection at once. Writes outside a batch (a lone message, pings, pongs, the close frame) go
/// straight through.
/// </summary>
/// <remarks>
/// The socket writes one frame per write, one write at a time (its own send lock), so every write to the connection,
/// the batch's included, is made inside one of the socket's writes and never overlaps another. A control frame the
/// socket slips into a batch counts as one of its frames: the batch is then written a frame early and its last frame
/// goes straight through after it, in order. The lock guards the gathered bytes against a dispose on another thread.
/// </remarks>
internal sealed class WebSocketBatchStream(Stream connection) : Stream
{
    private readonly Lock _gate = new();
    private byte[]? _gathered;
    private int _length;
    private int _remaining;

    /// <summary>
    /// Collects the next <paramref name="frames"/> frames the socket writes, in a pooled buffer of about
    /// <paramref name="sizeHint"/> bytes; the last of them writes all of them.
    /// </summary>
    public void Gather(int sizeHint, int frames)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 256));
        lock (_gate)
        {
            _gathered = buffer;
            _length = 0;
            _remaining = frames;
        }
    }

    /// <summary>Stops gathering and drops what was gathered and not written: the batch failed, or the socket closed.</summary>
    public void DropGathered()
    {
        byte[]? gathered;
        lock (_gate)
        {
            gathered = _gathered;
            _gathered = null;
            _length = 0;
        }

        if (gathered is not null)
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[]? batch;
        int length;
        lock (_gate)
        {
            if (_gathered is null)
            {
                batch = null;
                length = 0;
            }
            else
            {
                Append(buffer.Span);
                if (--_remaining > 0)
                {
                    return default;
                }

                (batch, length) = (_gathered, _length);
                _gathered = null;
                _length = 0;
            }
        }

        return batch is null ? connection.WriteAsync(buffer, cancellationToken) : WriteBatchAsync(batch, length, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

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

    private async ValueTask WriteBatchAsync(byte[] batch, int length, CancellationToken cancellationToken)
    {
        try
        {
            await connection.WriteAsync(batch.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
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
