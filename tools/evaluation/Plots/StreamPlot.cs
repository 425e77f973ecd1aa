using Embedded.Evaluation.Data;
using Embedded.Evaluation.Detection;
using Embedded.Shared.Detection;
using ScottPlot;

namespace Embedded.Evaluation.Plots;

/// <summary>
/// A PNG of one `detect` run on a stream of any number of channels (`detect --plot`): one panel per
/// channel with its values and the fixed-point forecast, then a panel with the anomaly score and the
/// threshold, the abnormal state (is_anomaly) shaded blue and alarms marked red. The label columns read
/// with the stream are drawn too: rows labelled anomalous (an "anomaly", "label" or "is_anomaly" column)
/// shaded orange in every panel, labelled changepoints as dashed lines in the score panel. Training rows
/// are shaded grey. Time on the x axis when every timestamp parses, else the row number.
/// </summary>
public static class StreamPlot
{
    private static readonly string[] AnomalyLabelNames = ["anomaly", "label", "is_anomaly"];
    private const string ChangepointLabelName = "changepoint";
    private const int PanelHeight = 150;
    private const int ScorePanelHeight = 240;

    public static void SavePng(string path, DetectRun run, string title, int width = 1600)
    {
        var series = run.Series;
        var scored = run.Scored;
        int n = series.RowCount;
        if (n == 0) throw new ArgumentException($"{series.Source}: no rows to plot");
        bool useTime = series.Times.All(t => t is not null);
        double[] xs = useTime ? series.Times.Select(t => t!.Value.ToOADate()).ToArray() : Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        double threshold = DetectorParameters.Parse(run.Model.DetectorSection).Threshold / (double)AnomalyDetector.ScoreOne;
        double[]? anomalyLabel = FindLabel(series, AnomalyLabelNames);
        double[]? changepointLabel = FindLabel(series, [ChangepointLabelName]);
        var labelled = anomalyLabel is null ? [] : Runs(anomalyLabel.Select(v => v > 0.5).ToArray());
        var abnormal = Runs(scored.Anomalies);

        var multiplot = new Multiplot();
        int panels = series.ChannelCount + 1;
        multiplot.AddPlots(panels);
        var plots = Enumerable.Range(0, panels).Select(multiplot.GetPlot).ToArray();
        for (int p = 0; p < panels; p++)
        {
            var plot = plots[p];
            bool first = p == 0, last = p == panels - 1;
            plot.Layout.Fixed(new PixelPadding(90, 20, last ? 45 : 6, first ? 34 : 6));
            if (run.TrainRows > 0)
            {
                var training = plot.Add.HorizontalSpan(xs[0], xs[Math.Min(run.TrainRows, n) - 1], Colors.Gray.WithAlpha(0.15));
                training.LegendText = last ? "training rows" : "";
            }
            for (int r = 0; r < labelled.Count; r++)
            {
                var (start, end) = labelled[r];
                var span = plot.Add.HorizontalSpan(xs[start], xs[Math.Min(end + 1, n - 1)], Colors.Orange.WithAlpha(0.25));
                span.LegendText = r == 0 && last ? "labelled anomaly" : "";
            }
            if (useTime) plot.Axes.DateTimeTicksBottom();
            if (!last) plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
            plot.Axes.SetLimitsX(xs[0], xs[^1]);
        }

        for (int c = 0; c < series.ChannelCount; c++)
        {
            var plot = plots[c];
            var values = series.Values.Select(r => r[c]).ToArray();
            var forecast = scored.Predictions.Select(r => r[c]).ToArray();
            var actual = plot.Add.ScatterLine(xs, values, Colors.SteelBlue);
            actual.LegendText = c == 0 ? "value" : "";
            actual.LineWidth = 1;
            var predicted = plot.Add.ScatterLine(xs, forecast, Colors.DarkOrange);
            predicted.LegendText = c == 0 ? "forecast (fixed point)" : "";
            predicted.LineWidth = 1;
            predicted.LinePattern = LinePattern.Dashed;
            plot.YLabel(series.ChannelNames[c], size: 12);
            var (low, high) = Range(values, forecast);
            double pad = Math.Max(1e-9, (high - low) * 0.08);
            plot.Axes.SetLimitsY(low - pad, high + pad);
            if (c == 0) plot.ShowLegend(Alignment.UpperLeft, Orientation.Horizontal);
        }
        plots[0].Title(title, size: 14);

        var bottom = plots[^1];
        for (int r = 0; r < abnormal.Count; r++)
        {
            var (start, end) = abnormal[r];
            var state = bottom.Add.HorizontalSpan(xs[start], xs[Math.Min(end + 1, n - 1)], Colors.RoyalBlue.WithAlpha(0.22));
            state.LegendText = r == 0 ? "abnormal state (is_anomaly)" : "";
        }
        if (changepointLabel is not null)
        {
            bool named = false;
            for (int t = 0; t < n; t++)
            {
                if (!(changepointLabel[t] > 0.5)) continue;
                var line = bottom.Add.VerticalLine(xs[t], 1, Colors.SaddleBrown, LinePattern.Dashed);
                line.LegendText = named ? "" : "labelled changepoint";
                named = true;
            }
        }
        var score = bottom.Add.ScatterLine(xs, scored.Scores, Colors.Purple);
        score.LegendText = "anomaly score";
        score.LineWidth = 1;
        var thresholdLine = bottom.Add.HorizontalLine(threshold, 1, Colors.Black, LinePattern.Dotted);
        thresholdLine.LegendText = "threshold";
        var alarmXs = new List<double>();
        var alarmYs = new List<double>();
        for (int t = 0; t < n; t++)
            if (scored.Alarms[t]) { alarmXs.Add(xs[t]); alarmYs.Add(scored.Scores[t]); }
        if (alarmXs.Count > 0)
        {
            var alarms = bottom.Add.ScatterPoints(alarmXs.ToArray(), alarmYs.ToArray(), Colors.Red);
            alarms.LegendText = "alarm";
            alarms.MarkerSize = 8;
            alarms.MarkerShape = MarkerShape.FilledTriangleUp;
        }
        bottom.Axes.SetLimitsY(-0.02, 1.05);
        bottom.YLabel("score", size: 12);
        bottom.ShowLegend(Alignment.UpperLeft, Orientation.Horizontal);
        multiplot.SharedAxes.ShareX(plots);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.DraggableRows();
        ((ScottPlot.MultiplotLayouts.DraggableRows)multiplot.Layout).SetHeights(
            Enumerable.Range(0, panels).Select(p => (float)(p == panels - 1 ? ScorePanelHeight + 45 : p == 0 ? PanelHeight + 28 : PanelHeight)));

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        int height = series.ChannelCount * PanelHeight + ScorePanelHeight + 45 + 28;
        multiplot.SavePng(path, width, height);
    }

    /// <summary>The first label column with one of these names (any case), or null.</summary>
    private static double[]? FindLabel(TimeSeries series, string[] names)
    {
        foreach (var name in names)
            foreach (var (column, values) in series.Labels)
                if (string.Equals(column, name, StringComparison.OrdinalIgnoreCase)) return values;
        return null;
    }

    /// <summary>Runs of consecutive true rows as inclusive (start, end) row pairs.</summary>
    private static List<(int Start, int End)> Runs(bool[] flags)
    {
        var runs = new List<(int, int)>();
        for (int t = 0; t < flags.Length; t++)
        {
            if (!flags[t]) continue;
            int start = t;
            while (t + 1 < flags.Length && flags[t + 1]) t++;
            runs.Add((start, t));
        }
        return runs;
    }

    private static (double Low, double High) Range(double[] a, double[] b)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var v in a.Concat(b))
        {
            if (!double.IsFinite(v)) continue;
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }
        return double.IsFinite(low) ? (low, high) : (0, 1);
    }
}
