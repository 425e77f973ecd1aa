using System.Globalization;
using System.Text;

namespace Embedded.Evaluation.Nab;

/// <summary>Plain-text and Markdown tables of NAB results: per profile, the corpus and each category (optionally each file).</summary>
public static class NabReport
{
    public static string ToText(IReadOnlyList<NabProfileResult> results, bool perFile = false)
    {
        var text = new StringBuilder();
        foreach (var result in results)
        {
            text.AppendLine($"{result.Profile.Name} (A_TP {F(result.Profile.TruePositiveWeight)}, A_FP {F(result.Profile.FalsePositiveWeight)}, A_FN {F(result.Profile.FalseNegativeWeight)}), threshold {result.Threshold.ToString("0.######", CultureInfo.InvariantCulture)}");
            text.AppendLine($"  {"",-58} {"score",7} {"raw",9} {"windows",8} {"found",6} {"FP",5}");
            text.AppendLine(Line("all files", result.Total));
            foreach (var (category, tally) in result.ByCategory) text.AppendLine(Line(category.Length == 0 ? "(no folder)" : category, tally));
            if (perFile) foreach (var (file, tally) in result.ByFile) text.AppendLine(Line("  " + file, tally));
        }
        return text.ToString();
    }

    /// <summary>A Markdown table: one row per category and the total, one column per profile.</summary>
    public static string ToMarkdown(IReadOnlyList<NabProfileResult> results)
    {
        var text = new StringBuilder();
        text.Append("| category |");
        foreach (var r in results) text.Append($" {r.Profile.Name} |");
        text.AppendLine(" windows found / total | false positives (standard) |");
        text.Append("| --- |");
        foreach (var _ in results) text.Append(" ---: |");
        text.AppendLine(" ---: | ---: |");
        var standard = results[0];
        foreach (var category in standard.ByCategory.Keys)
        {
            text.Append($"| {category} |");
            foreach (var r in results) text.Append($" {Score(r.ByCategory[category])} |");
            var t = standard.ByCategory[category];
            text.AppendLine($" {t.DetectedWindows} / {t.Windows} | {t.FalsePositiveRows} |");
        }
        text.Append("| **all files** |");
        foreach (var r in results) text.Append($" **{Score(r.Total)}** |");
        text.AppendLine($" {standard.Total.DetectedWindows} / {standard.Total.Windows} | {standard.Total.FalsePositiveRows} |");
        return text.ToString();
    }

    private static string Line(string name, NabTally t) =>
        $"  {name,-58} {Score(t),7} {t.Raw.ToString("0.00", CultureInfo.InvariantCulture),9} {t.Windows,8} {t.DetectedWindows,6} {t.FalsePositiveRows,5}";

    /// <summary>The normalised score, or "n/a" for files without windows (nothing to normalise against).</summary>
    public static string Score(NabTally t) => t.Normalized is double n ? n.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
