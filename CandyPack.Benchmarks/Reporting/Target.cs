using System.Globalization;

namespace CandyPack.Benchmarks.Reporting;

/// <summary>A target of the issue, stated either on the ratio to the baseline or on the CandyPack figure itself.</summary>
internal sealed class Target
{
    private readonly double _limit;
    private readonly bool _onRatio;
    private readonly bool _atLeast;
    private readonly bool _strict;

    private Target(double limit, bool onRatio, bool atLeast, bool strict, string text)
    {
        _limit = limit;
        _onRatio = onRatio;
        _atLeast = atLeast;
        _strict = strict;
        Text = text;
    }

    public string Text { get; }

    public static Target RatioAtMost(double ratio) => new(ratio, true, false, false, Invariant($"≤ {ratio:0.0#}× baseline"));

    public static Target RatioAtLeast(double ratio) => new(ratio, true, true, false, Invariant($"≥ {ratio:0.0#}× baseline"));

    public static Target RatioBelow(double ratio) => new(ratio, true, false, true, Invariant($"< {ratio:0.0#}× baseline"));

    public static Target Below(double value, string shown) => new(value, false, false, true, "< " + shown);

    public static Target AtMost(double value, string shown) => new(value, false, false, false, "≤ " + shown);

    /// <summary>"met", or "missed" with how far off the figure is.</summary>
    public string Judge(double candy, double ratio)
    {
        var value = _onRatio ? ratio : candy;
        var met = _atLeast ? value >= _limit : _strict ? value < _limit : value <= _limit;
        if (met)
        {
            return "met";
        }

        var times = value / _limit;
        return _atLeast ? Invariant($"missed: {1 - times:P0} short")
            : times >= 2 ? Invariant($"missed: {times:0.0}× the limit")
            : Invariant($"missed: {times - 1:P0} over");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
