using System.Globalization;

namespace CandyPack.Benchmarks.Reporting;

/// <summary>How each kind of figure is printed.</summary>
internal static class Units
{
    public static string PerSecond(double value) => value.ToString("N0", CultureInfo.InvariantCulture) + " /s";

    public static string Microseconds(double seconds) => (seconds * 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " µs";

    public static string Milliseconds(double milliseconds) => milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string KiB(double bytes) => (bytes / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " KiB";

    public static string MiB(double bytes) => (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    public static string Ratio(double ratio) =>
        double.IsNaN(ratio) ? "–" : ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
