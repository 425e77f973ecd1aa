namespace Embedded.Trainer.Model;

/// <summary>
/// Where a model's training data came from, so `quantize` can calibrate on it without being told.
/// The columns live in the model itself (FeatureColumns, TargetColumns, TimestampColumn); this adds the
/// file, its kind and the reading options that are not part of the model.
/// </summary>
public sealed record TrainingDataSource
{
    public const string CsvFormat = "csv";
    public const string TextFormat = "text";

    /// <summary>"csv" (forecast, classify) or "text" (next symbol).</summary>
    public required string Format { get; init; }
    /// <summary>The path as the user gave it.</summary>
    public required string GivenPath { get; init; }
    /// <summary>The absolute path at training time.</summary>
    public required string AbsolutePath { get; init; }
    /// <summary>The path relative to the checkpoint's folder (filled in when the checkpoint is saved), so a moved folder still works.</summary>
    public string? RelativePath { get; init; }
    /// <summary>Text: only the first this many symbols were used (0 = all).</summary>
    public int MaxSymbols { get; init; }
    /// <summary>Classify: the label column (not an input).</summary>
    public string? LabelColumn { get; init; }

    /// <summary>A CSV source.</summary>
    public static TrainingDataSource Csv(string givenPath, string? labelColumn = null) => new()
    {
        Format = CsvFormat, GivenPath = givenPath, AbsolutePath = System.IO.Path.GetFullPath(givenPath), LabelColumn = labelColumn,
    };

    /// <summary>A text source.</summary>
    public static TrainingDataSource Text(string givenPath, int maxSymbols) => new()
    {
        Format = TextFormat, GivenPath = givenPath, AbsolutePath = System.IO.Path.GetFullPath(givenPath), MaxSymbols = maxSymbols,
    };

    /// <summary>The same source with <see cref="RelativePath"/> computed for a checkpoint written at <paramref name="checkpointPath"/>.</summary>
    public TrainingDataSource RelativeTo(string checkpointPath) =>
        this with { RelativePath = System.IO.Path.GetRelativePath(CheckpointFolder(checkpointPath), AbsolutePath) };

    /// <summary>The data file as it exists now: the absolute path, else the relative path from the checkpoint's folder; null when neither exists.</summary>
    public string? Locate(string checkpointPath)
    {
        if (File.Exists(AbsolutePath)) return AbsolutePath;
        if (RelativePath is not null)
        {
            string moved = System.IO.Path.GetFullPath(System.IO.Path.Combine(CheckpointFolder(checkpointPath), RelativePath));
            if (File.Exists(moved)) return moved;
        }
        return null;
    }

    /// <summary>Both places <see cref="Locate"/> looks, for error messages.</summary>
    public string Describe(string checkpointPath) => RelativePath is null
        ? $"'{AbsolutePath}'"
        : $"'{AbsolutePath}' (or '{System.IO.Path.GetFullPath(System.IO.Path.Combine(CheckpointFolder(checkpointPath), RelativePath))}' relative to the checkpoint)";

    private static string CheckpointFolder(string checkpointPath) =>
        System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(checkpointPath)) ?? ".";
}
