namespace Embedded.Evaluation.Labelled;

/// <summary>
/// Point-wise counts of a binary detector output against binary labels, and the rates derived from them.
/// Rates with an empty denominator are null (e.g. recall of a file without anomalies).
/// </summary>
public readonly record struct ConfusionCounts(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    public double? Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    public double? Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>TP / (TP + (FP + FN) / 2): the harmonic mean of precision and recall, as SKAB computes it.</summary>
    public double? F1 => Ratio(TruePositives, TruePositives + (FalsePositives + FalseNegatives) / 2.0);

    /// <summary>FP / (FP + TN): the share of normal rows flagged.</summary>
    public double? FalseAlarmRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>FN / (FN + TP): the share of anomalous rows not flagged.</summary>
    public double? MissedAlarmRate => Ratio(FalseNegatives, FalseNegatives + TruePositives);

    public ConfusionCounts Add(ConfusionCounts other) => new(
        TruePositives + other.TruePositives, FalsePositives + other.FalsePositives,
        TrueNegatives + other.TrueNegatives, FalseNegatives + other.FalseNegatives);

    public static ConfusionCounts Count(IReadOnlyList<bool> truth, IReadOnlyList<bool> predicted, int firstRow)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = firstRow; i < truth.Count; i++)
        {
            if (truth[i]) { if (predicted[i]) tp++; else fn++; }
            else if (predicted[i]) fp++;
            else tn++;
        }
        return new ConfusionCounts(tp, fp, tn, fn);
    }

    private static double? Ratio(double numerator, double denominator) => denominator == 0 ? null : numerator / denominator;
}
