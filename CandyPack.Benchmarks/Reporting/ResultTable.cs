using System.Text;

namespace CandyPack.Benchmarks.Reporting;

/// <summary>The figures of a run, printed as one Markdown table.</summary>
internal sealed class ResultTable
{
    private readonly List<Measurement> _rows = [];
    private readonly List<string> _notes = [];

    public void Add(Measurement measurement)
    {
        _rows.Add(measurement);
        // Printed as they come, so a long run shows progress and a failure later loses nothing.
        Console.Error.WriteLine($"  {measurement.Figure}: CandyPack {measurement.Format(measurement.Candy)}, baseline {measurement.Format(measurement.Baseline)} ({Units.Ratio(measurement.Ratio)})");
    }

    /// <summary>A line printed under the table: a failure, a caveat of the measurement.</summary>
    public void Note(string note)
    {
        _notes.Add(note);
        Console.Error.WriteLine("  note: " + note);
    }

    public string ToMarkdown(bool judgeTargets)
    {
        var text = new StringBuilder();
        text.AppendLine("| Figure | CandyPack | Baseline | CandyPack ÷ baseline | Target | Result |");
        text.AppendLine("|---|---:|---:|---:|---|---|");
        foreach (var row in _rows)
        {
            var verdict = row.Target is null ? string.Empty
                : judgeTargets ? row.Target.Judge(row.Candy, row.Ratio)
                : "not judged (--quick)";
            text.AppendLine($"| {row.Figure} | {row.Format(row.Candy)} | {row.Format(row.Baseline)} | {Units.Ratio(row.Ratio)} | {row.Target?.Text} | {verdict} |");
        }

        if (_notes.Count > 0)
        {
            text.AppendLine();
        }

        foreach (var note in _notes)
        {
            text.Append("- ").AppendLine(note);
        }

        return text.ToString();
    }

    /// <summary>The rows with a target, as the table that opens docs/performance.md ("Current ratios").</summary>
    public string ToRatioMarkdown(bool judgeTargets)
    {
        var text = new StringBuilder();
        text.AppendLine("| Figure | CandyPack | Baseline | Ratio | Target | Met |");
        text.AppendLine("|---|---:|---:|---:|---|---|");
        foreach (var row in _rows)
        {
            if (row.Target is { } target)
            {
                var verdict = judgeTargets ? Met(target.Judge(row.Candy, row.Ratio)) : "not judged (--quick)";
                text.AppendLine($"| {row.Figure} | {row.Format(row.Candy)} | {row.Format(row.Baseline)} | {Units.Ratio(row.Ratio)} | {target.Text} | {verdict} |");
            }
        }

        return text.ToString();
    }

    /// <summary>"met" as "yes"; "missed: 7 % short" as "no (7 % short)".</summary>
    private static string Met(string judged) =>
        judged == "met" ? "yes" : "no (" + judged.Replace("missed: ", string.Empty, StringComparison.Ordinal) + ")";
}
