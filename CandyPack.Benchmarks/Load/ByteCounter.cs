namespace CandyPack.Benchmarks.Load;

/// <summary>Bytes read from the connections of a client, shared by all of them.</summary>
internal sealed class ByteCounter
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(int count) => Interlocked.Add(ref _bytes, count);
}
