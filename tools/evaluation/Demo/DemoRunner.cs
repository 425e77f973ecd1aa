using Embedded.Evaluation.Data;
using Embedded.Evaluation.Detection;
using Embedded.Evaluation.Nab;
using Embedded.Evaluation.Plots;
using Embedded.Shared.Detection;
using Embedded.Trainer.Training;

namespace Embedded.Evaluation.Demo;

/// <summary>
/// The README demo: train on the first rows of a bundled stream, quantize, score every row through the
/// portable runtime, compare the fixed-point forecast with the float model's, count alarms against the
/// labelled windows, and write model.bin, scores.csv and a PNG.
/// </summary>
public static class DemoRunner
{
    public static DemoSummary Run(string dataPath, string? windowsPath, string outDir, ForecastTrainingOptions training)
    {
        var series = TimeSeriesCsv.Read(dataPath);
        var run = DetectPipeline.TrainAndScore(series, new DetectOptions { DataPath = dataPath, Training = training });
        var windows = windowsPath is null ? [] : WindowsFor(windowsPath, dataPath, series);

        // Float reference over the whole stream (gaps filled), aligned with the fixed-point forecasts.
        var filled = DetectPipeline.FillGaps(series);
        var floatForecasts = FloatPredictor.PredictSeries(run.FloatModel!, filled);
        double fixedVsFloat = 0, fixedErr = 0, floatErr = 0;
        long pairs = 0, scored = 0;
        for (int t = 1; t < series.RowCount; t++)
        {
            for (int c = 0; c < series.ChannelCount; c++)
            {
                double fx = run.Scored.Predictions[t][c], fl = floatForecasts[t - 1][c];
                fixedVsFloat += (fx - fl) * (fx - fl);
                pairs++;
                double truth = series.Values[t][c];
                if (t < run.TrainRows || double.IsNaN(truth)) continue;
                fixedErr += (fx - truth) * (fx - truth);
                floatErr += (fl - truth) * (fl - truth);
                scored++;
            }
        }

        // Alarms after training, against the labelled windows.
        int events = 0, falseAlarms = 0;
        var found = new bool[windows.Count];
        for (int t = run.TrainRows; t < series.RowCount; t++)
        {
            if (!run.Scored.Alarms[t]) continue;
            int w = windows.FindIndex(x => x.Contains(t));
            if (w >= 0) found[w] = true;
            events++;
            if (w < 0) falseAlarms++;
        }
        var parameters = DetectorParameters.Parse(run.Model.DetectorSection);
        double threshold = parameters.Threshold / (double)AnomalyDetector.ScoreOne;
        double? nab = windows.Count == 0 ? null
            : NabScorer.ScoreFile(new NabFile(Path.GetFileName(dataPath), run.Scored.Scores, windows), NabProfile.Standard, threshold).Normalized;

        Directory.CreateDirectory(outDir);
        string modelPath = Path.Combine(outDir, "model.bin");
        string scoresPath = Path.Combine(outDir, "scores.csv");
        string plotPath = Path.Combine(outDir, "detection.png");
        File.WriteAllBytes(modelPath, run.ModelBytes);
        ScoresCsv.Write(scoresPath, series, run.Scored);
        DetectionPlot.SavePng(plotPath, series, run.Scored, windows, run.TrainRows, threshold,
            $"{Path.GetFileName(dataPath)}: {training.Cell}-{training.Hidden}, {run.Model.WeightBits}-bit, {run.ModelBytes.Length} B; trained on first {run.TrainRows} rows (grey); labelled anomalies (red)");

        var report = run.QuantizeReport!;
        return new DemoSummary
        {
            DataPath = dataPath,
            Rows = series.RowCount,
            TrainRows = run.TrainRows,
            TrainSeconds = run.TrainTime.TotalSeconds,
            ScoreSeconds = run.ScoreTime.TotalSeconds,
            ModelBytes = run.ModelBytes.Length,
            ParameterBytes = report.ParameterBytes,
            DetectorBytes = report.DetectorBytes,
            WeightBits = run.Model.WeightBits,
            RmseFixedVsFloat = pairs > 0 ? Math.Sqrt(fixedVsFloat / pairs) : 0,
            RmseFixed = scored > 0 ? Math.Sqrt(fixedErr / scored) : 0,
            RmseFloat = scored > 0 ? Math.Sqrt(floatErr / scored) : 0,
            Threshold = threshold,
            LabelledWindows = windows.Count,
            WindowsFound = found.Count(f => f),
            FalseAlarms = falseAlarms,
            AlarmEvents = events,
            NabStandardAtThreshold = nab,
            ScoresPath = scoresPath,
            ModelPath = modelPath,
            PlotPath = plotPath,
        };
    }

    /// <summary>The windows of <paramref name="dataPath"/> in a NAB-style windows.json (matched by file name).</summary>
    public static List<AnomalyWindow> WindowsFor(string windowsPath, string dataPath, TimeSeries series)
    {
        string file = Path.GetFileName(dataPath);
        var all = NabCorpus.ReadWindows(windowsPath);
        var entry = all.FirstOrDefault(kv => Path.GetFileName(kv.Key) == file);
        if (entry.Value is null) return [];
        if (series.Times.Any(t => t is null)) throw new FormatException($"{dataPath}: timestamps must parse to match the windows in {windowsPath}");
        var times = series.Times.Select(t => t!.Value).ToArray();
        return entry.Value.Select(w => NabTimestamps.ToRows(times, w.Start, w.End)).Where(w => w is not null).Select(w => w!.Value).ToList();
    }
}
