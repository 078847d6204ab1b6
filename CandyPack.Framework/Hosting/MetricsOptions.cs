namespace CandyPack.Hosting;

/// <summary><c>"metrics"</c> in the first site's config.json: the Prometheus endpoint <c>/_candy/metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "metrics";

    /// <summary>Serve <c>/_candy/metrics</c>. Default false.</summary>
    public bool Enabled { get; set; }
}
