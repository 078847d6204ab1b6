namespace CandyPack.Benchmarks.Data;

/// <summary>The typed row both sides map to.</summary>
public sealed class BenchPost
{
    /// <summary>The post's id.</summary>
    public long Id { get; set; }

    /// <summary>The author.</summary>
    public long UserId { get; set; }

    /// <summary>The title.</summary>
    public string Title { get; set; } = string.Empty;
}
