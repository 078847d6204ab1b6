namespace CandyPack.Dashboard;

/// <summary><c>"dashboard"</c> in the first site's config.json: the live dashboard at <c>/_candy/</c>.</summary>
internal sealed class DashboardOptions
{
    public const string Section = "dashboard";

    /// <summary>Serve the dashboard. Default: on in Development, off in Production.</summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// The name of an authorization policy the host registers; every dashboard request must satisfy it. Required to
    /// turn the dashboard on in Production.
    /// </summary>
    public string? Policy { get; set; }
}
