using Embedded.Shared.Model;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Quantization;

/// <summary>Calibration rows (and true targets for forecasting) read from the kind of file the model was trained on.</summary>
public sealed class CalibrationData
{
    public CalibrationData(double[][] rows, double[][]? targets)
    {
        Rows = rows;
        Targets = targets;
    }

    /// <summary>Raw input rows; for NextSymbol each row is one symbol id.</summary>
    public double[][] Rows { get; }
    /// <summary>Targets[t] = the truth for the forecast made at row t (null entries at the end), or null.</summary>
    public double[][]? Targets { get; }

    /// <summary>
    /// The data the model was trained on, as recorded in the checkpoint at <paramref name="checkpointPath"/> (found at its
    /// absolute path or, when the folder moved, relative to the checkpoint), read the same way (text: the same --max-chars).
    /// Throws <see cref="FileNotFoundException"/> naming the recorded path when it is gone or was never recorded.
    /// </summary>
    public static CalibrationData LoadTrainingData(FloatModel model, string checkpointPath, int maxRows = 0)
    {
        var source = model.TrainingData
            ?? throw new FileNotFoundException($"{checkpointPath} does not record its training data (written by an older `train` or imported); pass --calibration FILE");
        string path = source.Locate(checkpointPath)
            ?? throw new FileNotFoundException($"the training data recorded in {checkpointPath}, {source.Describe(checkpointPath)}, no longer exists; pass --calibration FILE", source.AbsolutePath);
        if (model.Task == TaskKind.NextSymbol && maxRows == 0) maxRows = source.MaxSymbols;
        return Load(model, path, maxRows);
    }

    /// <summary>
    /// A CSV with the model's feature and target columns (Forecast, Classify), or a text file (NextSymbol),
    /// limited to the first <paramref name="maxRows"/> rows (0 = all).
    /// </summary>
    public static CalibrationData Load(FloatModel model, string path, int maxRows = 0)
    {
        if (model.Task == TaskKind.NextSymbol)
        {
            var corpus = TextCorpus.Load(path, maxRows);
            var symbols = corpus.Symbols;
            return new CalibrationData(symbols.Select(s => new double[] { s }).ToArray(), null);
        }
        // Classify: only the feature columns are numeric (the label column is text), so they double as "targets" here.
        var series = CsvSeries.Load(path, model.FeatureColumns, model.Task == TaskKind.Forecast ? model.TargetColumns : model.FeatureColumns, model.TimestampColumn);
        int count = maxRows > 0 ? Math.Min(maxRows, series.Count) : series.Count;
        var rows = series.Features.Take(count).ToArray();
        if (rows.Length > 0 && rows[0].Length != model.InputSize)
            throw new InvalidDataException($"{path}: {rows[0].Length} feature columns, the model takes {model.InputSize}");
        double[][]? targets = null;
        if (model.Task == TaskKind.Forecast)
        {
            int horizon = Math.Max(1, model.Horizon);
            targets = new double[count][];
            for (int t = 0; t + horizon < series.Count && t < count; t++) targets[t] = series.Targets[t + horizon];
        }
        return new CalibrationData(rows, targets);
    }
}
