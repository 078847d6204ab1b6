namespace CandyPack.Benchmarks.Load;

/// <summary>A growable byte buffer that keeps its array between uses, for the parser's partial lines and event data.</summary>
internal sealed class ByteBuffer
{
    private byte[] _array = [];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _array.Length)
        {
            Array.Resize(ref _array, Math.Max(64, Math.Max(_array.Length * 2, Length + bytes.Length)));
        }

        bytes.CopyTo(_array.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Clear() => Length = 0;
}
