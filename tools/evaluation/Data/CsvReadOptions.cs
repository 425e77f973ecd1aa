namespace Embedded.Evaluation.Data;

/// <summary>How to read a stream CSV: its delimiter, which columns are features and which are labels.</summary>
public sealed record CsvReadOptions
{
    public static CsvReadOptions Default { get; } = new();

    /// <summary>The field delimiter; null = detect it from the header line.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Value (feature) columns to read; null = every column but the timestamp and the labels.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Label columns, kept apart from the features; null = those named as in <see cref="Embedded.Csv.LabelColumns.DefaultNames"/>.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
}
