namespace Embedded.Csv;

/// <summary>
/// Columns that hold ground truth rather than measurements. Feeding a label to the forecaster would let
/// the detector "see" the answer, so these are never features unless asked for by --columns.
/// </summary>
public static class LabelColumns
{
    /// <summary>Column names treated as labels by default (compared ignoring case).</summary>
    public static IReadOnlyList<string> DefaultNames { get; } = ["anomaly", "label", "changepoint", "is_anomaly"];

    public static bool IsDefaultLabel(string name) => DefaultNames.Any(n => n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}
