namespace Embedded.Evaluation.Labelled;

/// <summary>
/// How labelled files are scored: from which row on, which label columns, the changepoint window and
/// scale. <see cref="Default"/> scores every row with NAB's rules; <see cref="Skab"/> is SKAB's published
/// protocol (waico/SKAB notebooks: rows from 400 on, 60 s windows to the right of each changepoint,
/// tsad's scale, counts pooled over all files).
/// </summary>
public sealed record LabelledProtocol
{
    public static LabelledProtocol Default { get; } = new();

    public static LabelledProtocol Skab { get; } = new()
    {
        Name = "skab",
        FirstScoredRow = 400,
        Window = ChangepointWindowWidth.OfDuration(TimeSpan.FromSeconds(60)),
        Scale = ChangepointScale.SkabTanh,
    };

    public string Name { get; init; } = "default";

    /// <summary>Rows before this index are not scored (SKAB: the 400 training rows).</summary>
    public int FirstScoredRow { get; init; }

    public string AnomalyColumn { get; init; } = "anomaly";
    public string ChangepointColumn { get; init; } = "changepoint";

    /// <summary>The window to the right of each true changepoint; null = NAB's rule, 10 % of the scored rows shared among the file's changepoints.</summary>
    public ChangepointWindowWidth? Window { get; init; }

    public ChangepointScale Scale { get; init; } = ChangepointScale.NabSigmoid;

    /// <summary>The named preset ("skab", "default"); an unknown name is a usage error.</summary>
    public static LabelledProtocol FromPreset(string name) => name.ToLowerInvariant() switch
    {
        "skab" => Skab,
        "default" or "none" => Default,
        _ => throw new ArgumentException($"--preset: '{name}' is not a preset (known: skab, default)"),
    };
}
