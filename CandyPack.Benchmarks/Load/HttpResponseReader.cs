using System.Globalization;
using System.Text;

namespace CandyPack.Benchmarks.Load;

/// <summary>
/// An incremental reader of one HTTP/1.1 response, fed the bytes as they arrive: the head, then a chunked, sized or
/// read-to-close body, and optionally the Server-Sent Events in that body (WHATWG HTML §9.2.6, the parts both servers
/// use: <c>data</c>, <c>event</c>, comments). Small and allocation-free per event, so the load client stays cheap next
/// to the server it measures.
/// </summary>
internal sealed class HttpResponseReader(SseEventHandler? onEvent)
{
    private readonly ByteBuffer _head = new();
    private readonly ByteBuffer _frameLine = new();
    private readonly ByteBuffer _line = new();
    private readonly ByteBuffer _data = new();
    private readonly ByteBuffer _eventType = new();
    private readonly ByteBuffer _lastEventId = new();
    private State _state;
    private long _remaining;
    private bool _hasData;

    private enum State
    {
        Head,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailer,
        Body,
        Complete,
    }

    public int StatusCode { get; private set; }

    public bool HasHead => _state != State.Head;

    public bool IsComplete => _state == State.Complete;

    /// <summary>The last <c>id</c> field the stream carried (it stays until another replaces it, §9.2.6); empty before any.</summary>
    public ReadOnlySpan<byte> LastEventId => _lastEventId.Span;

    /// <summary>Ready for the next response on a kept-alive connection.</summary>
    public void Reset()
    {
        _state = State.Head;
        _head.Clear();
        _frameLine.Clear();
        _line.Clear();
        _data.Clear();
        _eventType.Clear();
        _hasData = false;
        StatusCode = 0;
    }

    /// <summary>Reads <paramref name="bytes"/>; bytes after the end of the response are ignored.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty && _state != State.Complete)
        {
            bytes = _state switch
            {
                State.Head => ReadHead(bytes),
                State.ChunkSize => ReadChunkSize(bytes),
                State.ChunkData => ReadBody(bytes, State.ChunkEnd, 2),
                State.ChunkEnd => Skip(bytes, State.ChunkSize),
                State.Trailer => ReadTrailer(bytes),
                _ => ReadBody(bytes, State.Complete, 0),
            };
        }
    }

    /// <summary>The connection closed: a body that runs to the close is complete.</summary>
    public void EndOfInput()
    {
        if (_state == State.Body && _remaining < 0)
        {
            _state = State.Complete;
        }
    }

    private ReadOnlySpan<byte> ReadHead(ReadOnlySpan<byte> bytes)
    {
        var before = _head.Length;
        _head.Append(bytes);
        var end = _head.Span.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return default;
        }

        var text = Encoding.ASCII.GetString(_head.Span[..end]);
        StatusCode = text.Length >= 12 ? int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture) : 0;
        var chunked = false;
        long length = -1;
        foreach (var header in text.Split("\r\n").Skip(1))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        if (chunked)
        {
            _state = State.ChunkSize;
        }
        else
        {
            _state = length == 0 ? State.Complete : State.Body;
            _remaining = length;
        }

        // What followed the head in this read is body.
        return bytes[(end + 4 - before)..];
    }

    private ReadOnlySpan<byte> ReadChunkSize(ReadOnlySpan<byte> bytes)
    {
        if (!TakeLine(ref bytes, out var line))
        {
            return bytes;
        }

        var extension = line.IndexOf((byte)';');
        var digits = Encoding.ASCII.GetString(extension < 0 ? line : line[..extension]).Trim();
        var size = long.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        _frameLine.Clear();
        _remaining = size;
        _state = size == 0 ? State.Trailer : State.ChunkData;
        return bytes;
    }

    private ReadOnlySpan<byte> ReadTrailer(ReadOnlySpan<byte> bytes)
    {
        if (TakeLine(ref bytes, out var line))
        {
            if (line.IsEmpty)
            {
                _state = State.Complete;
            }

            _frameLine.Clear();
        }

        return bytes;
    }

    /// <summary>Body bytes: all of them when the length is unknown (<c>_remaining</c> &lt; 0), else up to what is left.</summary>
    private ReadOnlySpan<byte> ReadBody(ReadOnlySpan<byte> bytes, State next, int skipAfter)
    {
        var take = _remaining < 0 ? bytes.Length : (int)Math.Min(_remaining, bytes.Length);
        if (onEvent is not null)
        {
            ParseEvents(bytes[..take]);
        }

        if (_remaining >= 0)
        {
            _remaining -= take;
            if (_remaining == 0)
            {
                _state = next;
                _remaining = skipAfter;
            }
        }

        return bytes[take..];
    }

    /// <summary>Skips the CR LF after a chunk's data.</summary>
    private ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> bytes, State next)
    {
        var take = (int)Math.Min(_remaining, bytes.Length);
        _remaining -= take;
        if (_remaining == 0)
        {
            _state = next;
        }

        return bytes[take..];
    }

    /// <summary>A CR LF (or LF) terminated line of the chunk framing, possibly split across reads.</summary>
    private bool TakeLine(ref ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> line)
    {
        var newline = bytes.IndexOf((byte)'\n');
        if (newline < 0)
        {
            _frameLine.Append(bytes);
            bytes = default;
            line = default;
            return false;
        }

        _frameLine.Append(bytes[..newline]);
        bytes = bytes[(newline + 1)..];
        line = _frameLine.Span;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        return true;
    }

    private void ParseEvents(ReadOnlySpan<byte> body)
    {
        while (!body.IsEmpty)
        {
            var newline = body.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _line.Append(body);
                return;
            }

            if (_line.Length == 0)
            {
                // The common case: the whole line is in this read, so it is parsed where it lies.
                ParseLine(body[..newline]);
            }
            else
            {
                _line.Append(body[..newline]);
                ParseLine(_line.Span);
                _line.Clear();
            }

            body = body[(newline + 1)..];
        }
    }

    private void ParseLine(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            // A blank line dispatches the event; with no data field there is nothing to dispatch (§9.2.6).
            if (_hasData)
            {
                onEvent!(_eventType.Span, _data.Span);
            }

            _data.Clear();
            _eventType.Clear();
            _hasData = false;
            return;
        }

        if (line[0] == (byte)':')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? default : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (name.SequenceEqual("data"u8))
        {
            if (_hasData)
            {
                _data.Append("\n"u8);
            }

            _data.Append(value);
            _hasData = true;
        }
        else if (name.SequenceEqual("event"u8))
        {
            _eventType.Clear();
            _eventType.Append(value);
        }
        else if (name.SequenceEqual("id"u8) && !value.Contains((byte)0))
        {
            _lastEventId.Clear();
            _lastEventId.Append(value);
        }
    }
}
