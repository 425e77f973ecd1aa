using Embedded.Shared.Model;

namespace Embedded.Evaluation.Detection;

/// <summary>What `detect` does: which stream, which model (given, or trained on the stream's first rows), where to write.</summary>
public sealed record DetectOptions
{
    public required string DataPath { get; init; }
    /// <summary>A model.bin to score with; null = train one on the first rows of the stream.</summary>
    public string? ModelPath { get; init; }
    /// <summary>Train on exactly this many first rows.</summary>
    public int? TrainRows { get; init; }
    /// <summary>Train on this fraction of the rows (0..1).</summary>
    public double? TrainFraction { get; init; }
    /// <summary>Value columns to watch (default: every column but the timestamp).</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>The CSV delimiter; null = detect it from the header.</summary>
    public char? Delimiter { get; init; }
    /// <summary>Label columns kept out of the features; null = the default label names (anomaly, label, changepoint, is_anomaly).</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>How the stream CSV is read.</summary>
    public Data.CsvReadOptions Csv => new() { Delimiter = Delimiter, Columns = Columns, Labels = Labels };
    public ForecastTrainingOptions Training { get; init; } = ForecastTrainingOptions.Default;
    /// <summary>Settings laid over a given model's detector (--model with --threshold-decades, ...); null = the model's own.</summary>
    public Embedded.Shared.Detection.DetectorSettings? ModelSettings { get; init; }
    /// <summary>The detector's general settings for a trained model (a given model keeps its own).</summary>
    public Embedded.Trainer.Detection.DetectorCalibrationOptions Detector { get; init; } = Embedded.Trainer.Detection.DetectorCalibrationOptions.Default;

    /// <summary>
    /// Rows to train on: --train-rows, else --train-fraction, else NAB's probationary period (15 % of the
    /// rows, at most 750). Always at least <see cref="ForecastTrainingOptions.MinimumRows"/> and fewer than all rows.
    /// </summary>
    public int ResolveTrainRows(int rowCount)
    {
        int rows = TrainRows ?? (TrainFraction is double f ? (int)Math.Floor(f * rowCount) : Nab.NabScoring.ProbationaryLength(rowCount));
        if (TrainFraction is double fraction && (fraction <= 0 || fraction >= 1 || double.IsNaN(fraction)))
            throw new ArgumentException($"--train-fraction must be between 0 and 1 (exclusive), is {fraction}");
        if (rows < ForecastTrainingOptions.MinimumRows)
            throw new ArgumentException($"{DataPath}: training on {rows} rows; at least {ForecastTrainingOptions.MinimumRows} are needed (the file has {rowCount})");
        if (rows > rowCount) throw new ArgumentException($"{DataPath}: --train-rows {rows} exceeds the file's {rowCount} rows");
        return rows;
    }
}
