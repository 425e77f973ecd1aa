using System.Globalization;
using System.Text;
using Embedded.Evaluation.Nab;

namespace Embedded.Evaluation.Labelled;

/// <summary>
/// Console and Markdown tables of a labelled evaluation: one row per file, then (when the files lie in two or more
/// folders: SKAB's valve1/valve2/other, `corpus inject`'s one folder per kind) the pooled total per folder, then the
/// pooled total of all files.
/// </summary>
public static class LabelledReport
{
    private static readonly string[] Columns =
    [
        "file", "rows", "TP", "FP", "FN", "TN", "precision", "recall", "F1", "FAR %", "MAR %",
        "episodes found", "mean delay (rows)", "episodes alarmed", "CP windows found", "CP FP", "NAB standard", "NAB low FP", "NAB low FN",
    ];

    public static string ToText(IReadOnlyList<LabelledResult> files, LabelledResult total, LabelledProtocol protocol)
    {
        var rows = files.Concat(FolderTotals(files)).Append(total).Select(Cells).ToList();
        var widths = Columns.Select((c, k) => Math.Max(c.Length, rows.Max(r => r[k].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(Describe(protocol));
        text.AppendLine(string.Join("  ", Columns.Select((c, k) => k == 0 ? c.PadRight(widths[k]) : c.PadLeft(widths[k]))));
        foreach (var row in rows) text.AppendLine(string.Join("  ", row.Select((c, k) => k == 0 ? c.PadRight(widths[k]) : c.PadLeft(widths[k]))));
        return text.ToString();
    }

    public static string ToMarkdown(IReadOnlyList<LabelledResult> files, LabelledResult total, LabelledProtocol protocol)
    {
        var text = new StringBuilder();
        text.AppendLine(Describe(protocol)).AppendLine();
        text.AppendLine("| " + string.Join(" | ", Columns) + " |");
        text.AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", Columns.Length - 1)));
        foreach (var file in files.Concat(FolderTotals(files))) text.AppendLine("| " + string.Join(" | ", Cells(file)) + " |");
        text.AppendLine("| " + string.Join(" | ", Cells(total).Select(c => $"**{c}**")) + " |");
        return text.ToString();
    }

    /// <summary>Pooled totals per top-level folder of the files' names ("level/a.csv" → "level/ (all)"); none when they lie in fewer than two folders.</summary>
    public static List<LabelledResult> FolderTotals(IReadOnlyList<LabelledResult> files)
    {
        static string Folder(string name)
        {
            int slash = name.Replace('\\', '/').IndexOf('/');
            return slash > 0 ? name[..(slash + 1)] : "./";
        }
        var groups = files.GroupBy(f => Folder(f.Name)).ToList();
        if (groups.Count < 2) return [];
        return groups.Select(g => LabelledEvaluator.Total(g) with { Name = $"{g.Key} (all)" }).ToList();
    }

    private static string Describe(LabelledProtocol p) =>
        $"protocol {p.Name}: rows from {p.FirstScoredRow} on; '{p.AnomalyColumn}' against is_anomaly (counts pooled over files); " +
        $"changepoints '{p.ChangepointColumn}' against changes of is_anomaly, window {(p.Window?.ToString() ?? "10 % of the rows / changepoints")} to the right, " +
        $"{(p.Scale == ChangepointScale.SkabTanh ? "SKAB's tanh scale" : "NAB's sigmoid scale")}";

    private static string[] Cells(LabelledResult r)
    {
        var c = r.Counts;
        var cp = r.Changepoints[0];
        return
        [
            r.Name, I(r.ScoredRows), I(c.TruePositives), I(c.FalsePositives), I(c.FalseNegatives), I(c.TrueNegatives),
            F(c.Precision, "0.000"), F(c.Recall, "0.000"), F(c.F1, "0.000"), F(c.FalseAlarmRate * 100, "0.00"), F(c.MissedAlarmRate * 100, "0.00"),
            $"{r.Delay.Detected}/{r.Delay.Episodes}", F(r.Delay.MeanDelayRows, "0.0"),
            r.Alarmed is DetectionDelay a ? $"{a.Detected}/{a.Episodes}" : "n/a",
            $"{cp.DetectedWindows}/{cp.Windows}", I(cp.FalsePositiveRows),
            .. r.Changepoints.Select(NabReport.Score),
        ];
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string F(double? v, string format) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
