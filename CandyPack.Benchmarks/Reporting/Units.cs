using System.Globalization;

namespace CandyPack.Benchmarks.Reporting;

/// <summary>How each kind of figure is printed.</summary>
internal static class Units
{
    /// <summary>A figure that side does not have.</summary>
    private const string None = "–";

    public static string PerSecond(double value) => double.IsNaN(value) ? None : value.ToString("N0", CultureInfo.InvariantCulture) + " /s";

    public static string Microseconds(double seconds) => double.IsNaN(seconds) ? None : (seconds * 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " µs";

    public static string Milliseconds(double milliseconds) => double.IsNaN(milliseconds) ? None : milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Bytes(double bytes) => double.IsNaN(bytes) ? None : bytes.ToString("0.0", CultureInfo.InvariantCulture) + " B";

    public static string KiB(double bytes) => double.IsNaN(bytes) ? None : (bytes / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " KiB";

    public static string MiB(double bytes) => double.IsNaN(bytes) ? None : (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>A plain quantity, such as Redis commands per join.</summary>
    public static string Number(double value) => double.IsNaN(value) ? None : value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) =>
        double.IsNaN(ratio) ? None : ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
