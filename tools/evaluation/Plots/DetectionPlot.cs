using Embedded.Evaluation.Data;
using Embedded.Evaluation.Detection;
using Embedded.Evaluation.Nab;
using ScottPlot;

namespace Embedded.Evaluation.Plots;

/// <summary>
/// A two-panel PNG of a detection run: the series and the fixed-point forecast on top, the anomaly score
/// with the alarm threshold below; labelled anomaly windows shaded in both, alarms marked, the
/// training rows shaded grey. Time on the x axis when the timestamps parse, else the row number.
/// </summary>
public static class DetectionPlot
{
    public static void SavePng(string path, TimeSeries series, ScoredStream scored, IReadOnlyList<AnomalyWindow> windows, int trainRows, double threshold, string title, int width = 1400, int height = 800)
    {
        bool useTime = series.Times.All(t => t is not null);
        double[] xs = useTime ? series.Times.Select(t => t!.Value.ToOADate()).ToArray() : Enumerable.Range(0, series.RowCount).Select(i => (double)i).ToArray();

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var top = multiplot.GetPlot(0);
        var bottom = multiplot.GetPlot(1);
        foreach (var plot in new[] { top, bottom })
        {
            if (trainRows > 0) plot.Add.HorizontalSpan(xs[0], xs[Math.Min(trainRows, xs.Length) - 1], Colors.Gray.WithAlpha(0.15));
            foreach (var window in windows) plot.Add.HorizontalSpan(xs[window.StartRow], xs[window.EndRow], Colors.OrangeRed.WithAlpha(0.18));
            if (useTime) plot.Axes.DateTimeTicksBottom();
        }

        for (int c = 0; c < series.ChannelCount; c++)
        {
            var values = series.Values.Select(r => r[c]).ToArray();
            var forecast = scored.Predictions.Select(r => r[c]).ToArray();
            var actual = top.Add.ScatterLine(xs, values, Colors.SteelBlue);
            actual.LegendText = series.ChannelCount == 1 ? "series" : series.ChannelNames[c];
            actual.LineWidth = 1;
            var predicted = top.Add.ScatterLine(xs, forecast, Colors.DarkOrange);
            predicted.LegendText = series.ChannelCount == 1 ? "forecast (fixed point)" : series.ChannelNames[c] + " forecast";
            predicted.LineWidth = 1;
            predicted.LinePattern = LinePattern.Dashed;
        }
        top.Title(title, size: 14);
        top.YLabel(series.ChannelCount == 1 ? series.ChannelNames[0] : "values");
        top.ShowLegend(Alignment.UpperLeft);

        var score = bottom.Add.ScatterLine(xs, scored.Scores, Colors.Purple);
        score.LegendText = "anomaly score";
        score.LineWidth = 1;
        var line = bottom.Add.HorizontalLine(threshold, 1, Colors.Black, LinePattern.Dotted);
        line.LegendText = "threshold";
        var alarmXs = new List<double>();
        var alarmYs = new List<double>();
        for (int t = 0; t < series.RowCount; t++)
            // An episode's start alarms even when the hold-off kept its score low: mark it at the threshold.
            if (scored.Alarms[t]) { alarmXs.Add(xs[t]); alarmYs.Add(Math.Max(scored.Scores[t], threshold)); }
        if (alarmXs.Count > 0)
        {
            var alarms = bottom.Add.ScatterPoints(alarmXs.ToArray(), alarmYs.ToArray(), Colors.Red);
            alarms.LegendText = "alarm";
            alarms.MarkerSize = 7;
        }
        bottom.Axes.SetLimitsY(-0.02, 1.05);
        bottom.YLabel("score");
        bottom.ShowLegend(Alignment.UpperLeft);
        multiplot.SharedAxes.ShareX([top, bottom]);
        top.Axes.SetLimitsX(xs[0], xs[^1]);
        bottom.Axes.SetLimitsX(xs[0], xs[^1]);

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        multiplot.SavePng(path, width, height);
    }
}
