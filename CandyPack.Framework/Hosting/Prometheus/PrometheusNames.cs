using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace CandyPack.Hosting.Prometheus;

/// <summary>
/// Instruments and values written as the Prometheus text format (0.0.4) spells them, after the OpenTelemetry rules for
/// Prometheus names: <c>candypack.request.duration</c> in <c>ms</c> is <c>candypack_request_duration_milliseconds</c>,
/// a counter gains <c>_total</c>, a unit in braces (<c>{request}</c>) is a comment and adds nothing.
/// </summary>
internal static class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["bit"] = "bits",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["min"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>The metric name: the instrument's name made valid, its unit appended unless already there, <c>_total</c> for a counter.</summary>
    public static string Metric(Instrument instrument, PrometheusType type)
    {
        var name = Sanitize(instrument.Name);
        var unit = Unit(instrument.Unit, type);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal) && name != unit)
        {
            name += "_" + unit;
        }

        return type == PrometheusType.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>A metric or label name: characters other than letters, digits, <c>_</c> (and <c>:</c> in a metric name) become <c>_</c>.</summary>
    public static string Sanitize(string name, bool label = false)
    {
        var result = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (c == ':' && !label);
            if (valid || (result.Length > 0 && result[^1] != '_'))
            {
                result.Append(valid ? c : '_');
            }
        }

        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
        {
            result.Insert(0, '_');
        }

        return result.ToString();
    }

    /// <summary>A label value or HELP text, escaped: backslash, newline and (in a label value) the double quote.</summary>
    public static string Escape(string text, bool quoted = true)
    {
        var escaped = text.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
        return quoted ? escaped.Replace("\"", "\\\"", StringComparison.Ordinal) : escaped;
    }

    /// <summary>A sample value: the shortest text that reads back as the same double, and <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A tag's value as a label value: numbers in the invariant culture, booleans as <c>true</c>/<c>false</c>.</summary>
    public static string TagValue(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        double d => Number(d),
        float f => Number(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Unit(string? unit, PrometheusType type)
    {
        // "{request}" is an annotation, not a unit; "1" is a ratio only where a gauge reports one.
        var bare = unit is null ? string.Empty : StripAnnotations(unit);
        if (bare.Length == 0 || (bare == "1" && type != PrometheusType.Gauge))
        {
            return string.Empty;
        }

        if (bare == "1")
        {
            return "ratio";
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var per = bare[(slash + 1)..];
            return Sanitize(Map(bare[..slash], Units) + "_per_" + Map(per, PerUnits)).Trim('_');
        }

        return Sanitize(Map(bare, Units)).Trim('_');
    }

    private static string Map(string unit, Dictionary<string, string> names) => names.TryGetValue(unit, out var name) ? name : unit;

    private static string StripAnnotations(string unit)
    {
        var result = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            depth += c == '{' ? 1 : 0;
            if (depth == 0)
            {
                result.Append(c);
            }

            depth -= c == '}' && depth > 0 ? 1 : 0;
        }

        return result.ToString().Trim();
    }
}
