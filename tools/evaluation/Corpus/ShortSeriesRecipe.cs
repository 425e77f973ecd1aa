namespace Embedded.Evaluation.Corpus;

/// <summary>
/// How <see cref="ShortSeriesCorpus"/> cuts long labelled files into short ones (BENCHMARKS.md's NAB
/// short-series proxy). Files of at least <see cref="AggregateFromRows"/> rows are also averaged over
/// blocks of k = rows / <see cref="AggregateTargetRows"/> rows (when k &gt; 1); each window is cropped with
/// <see cref="RowsBefore"/> rows before its first row and <see cref="RowsAfter"/> after its last, kept when
/// the crop has at least <see cref="MinimumRows"/> rows.
/// </summary>
public sealed record ShortSeriesRecipe
{
    public static ShortSeriesRecipe Default { get; } = new();

    public int AggregateFromRows { get; init; } = 4000;
    public int AggregateTargetRows { get; init; } = 2000;
    public int RowsBefore { get; init; } = 1000;
    public int RowsAfter { get; init; } = 500;
    public int MinimumRows { get; init; } = 900;

    /// <summary>
    /// Also copy the source corpus into the output, the short files under "short-{category}/": one corpus
    /// scored under one threshold, as NAB scores its long and short files together.
    /// </summary>
    public bool WithSource { get; init; }
}
