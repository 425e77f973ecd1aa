using Embedded.Evaluation.Nab;

namespace Embedded.Evaluation.Labelled;

/// <summary>
/// The evaluation of one file (or of all files pooled): point-wise counts, delays of the state and the changepoint
/// tallies per NAB profile; <see cref="Alarmed"/>: the episodes with an alarm inside them (null: the scores had no alarm column).
/// </summary>
public sealed record LabelledResult(string Name, int ScoredRows, ConfusionCounts Counts, DetectionDelay Delay, IReadOnlyList<NabTally> Changepoints, DetectionDelay? Alarmed = null)
{
    /// <summary>Counts, delays and raw/null/perfect scores summed: SKAB pools its files before taking ratios.</summary>
    public LabelledResult Add(LabelledResult other) => new(
        Name, ScoredRows + other.ScoredRows, Counts.Add(other.Counts), Delay.Add(other.Delay),
        Changepoints.Zip(other.Changepoints, (a, b) => a.Add(b)).ToList(),
        Alarmed is DetectionDelay a ? other.Alarmed is DetectionDelay b ? a.Add(b) : a : other.Alarmed);

    public static LabelledResult Empty(string name) => new(name, 0, default, default, NabProfile.All.Select(NabTally.Empty).ToList());
}
