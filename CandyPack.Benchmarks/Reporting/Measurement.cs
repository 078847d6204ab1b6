namespace CandyPack.Benchmarks.Reporting;

/// <summary>
/// One figure of the table, measured on both sides in the same run. The baseline is plain ASP.NET Core unless the
/// figure names another after "vs" (a SignalR hub, CandyPack itself over another transport or without compression).
/// </summary>
/// <param name="Format">Turns a value into text with its unit, such as <c>1.2 µs</c>.</param>
internal sealed record Measurement(string Figure, double Candy, double Baseline, Func<double, string> Format, Target? Target = null)
{
    /// <summary>CandyPack ÷ baseline; above 1 is better for rates and worse for costs.</summary>
    public double Ratio => Baseline == 0 ? double.NaN : Candy / Baseline;
}
