using System.Diagnostics;
using Embedded.Evaluation.Data;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Evaluation.Detection;

/// <summary>
/// `detect`: score every row of a stream through the portable fixed-point runtime (Predictor +
/// AnomalyDetector), the exact on-device path. Without a model, a forecaster is trained on the first
/// rows only, quantized (which also calibrates the detector on those rows), and then runs over the
/// whole stream from a fresh state. Nothing ever looks ahead of the row being scored.
/// </summary>
public static class DetectPipeline
{
    public static DetectRun Run(DetectOptions options)
    {
        var series = TimeSeriesCsv.Read(options.DataPath, options.Csv);
        return options.ModelPath is null ? TrainAndScore(series, options) : ScoreWithModel(series, options.ModelPath, options.ModelSettings);
    }

    /// <summary>Scores with a given model; <paramref name="settings"/> (if any) are laid over its detector's.</summary>
    public static DetectRun ScoreWithModel(TimeSeries series, string modelPath, DetectorSettings? settings = null)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: no such model file", modelPath);
        byte[] bytes = File.ReadAllBytes(modelPath);
        ModelImage model;
        try { model = ModelImage.Parse(bytes); }
        catch (ModelFormatException e) { throw new InvalidDataException($"{modelPath}: {e.Message}", e); }
        if (model.Task != TaskKind.Forecast) throw new InvalidDataException($"{modelPath}: a {model.Task} model cannot forecast a stream; detect needs a Forecast model");
        var clock = Stopwatch.StartNew();
        AnomalyDetector? detector;
        try { detector = (settings ?? new DetectorSettings()).CreateDetector(model); }
        catch (ModelFormatException e) { throw new InvalidDataException($"{modelPath}: {e.Message}", e); }
        // A model without a detector section gets the default detector, as before.
        var scored = StreamScorer.Score(series, model, detector ?? new AnomalyDetector(model));
        return new DetectRun { Series = series, Scored = scored, Model = model, ModelBytes = bytes, ScoreTime = clock.Elapsed };
    }

    public static DetectRun TrainAndScore(TimeSeries series, DetectOptions options)
    {
        int trainRows = options.ResolveTrainRows(series.RowCount);
        var clock = Stopwatch.StartNew();
        double[][] head = FillGaps(series.Head(trainRows));
        var floatModel = ForecastTraining.Train(head, series.ChannelNames, options.Training);
        var quantized = Quantizer.Quantize(floatModel, head, new QuantizeOptions { Bits = options.Training.Bits, Detector = options.Detector });
        var trainTime = clock.Elapsed;
        var model = quantized.Parse();
        clock.Restart();
        var scored = Score(series, model);
        return new DetectRun
        {
            Series = series, Scored = scored, Model = model, ModelBytes = quantized.Image, TrainRows = trainRows,
            FloatModel = floatModel, QuantizeReport = quantized.Report, TrainTime = trainTime, ScoreTime = clock.Elapsed,
        };
    }

    /// <summary>Runs the stream through a fresh Predictor and the model's detector.</summary>
    public static ScoredStream Score(TimeSeries series, ModelImage model) =>
        StreamScorer.Score(series, model, new AnomalyDetector(model));

    /// <summary>
    /// Training rows without gaps: a missing value takes the last value seen in its column (the first
    /// value seen, before any); a column with no value at all is an error, and so is a value too large to
    /// train on (its square overflows the normalisation), named by data row and column.
    /// </summary>
    private const double MaxTrainingMagnitude = 1e100;

    public static double[][] FillGaps(TimeSeries head)
    {
        var rows = head.Values.Select(r => (double[])r.Clone()).ToArray();
        for (int t = 0; t < rows.Length; t++)
            for (int c = 0; c < head.ChannelCount; c++)
                if (Math.Abs(rows[t][c]) > MaxTrainingMagnitude)
                    throw new InvalidDataException($"{head.Source}: data row {t + 1}, column '{head.ChannelNames[c]}': {rows[t][c].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} is too large to train on (|value| <= 1e100)");
        for (int c = 0; c < head.ChannelCount; c++)
        {
            int first = Array.FindIndex(rows, r => !double.IsNaN(r[c]));
            if (first < 0) throw new InvalidDataException($"{head.Source}: column '{head.ChannelNames[c]}' has no values in the {rows.Length} training rows");
            double last = rows[first][c];
            foreach (var row in rows)
            {
                if (double.IsNaN(row[c])) row[c] = last;
                else last = row[c];
            }
        }
        return rows;
    }
}
