using Embedded.Evaluation.Nab;

namespace Embedded.Evaluation.Labelled;

/// <summary>Evaluates the detector's state on labelled files under a protocol, per file and pooled.</summary>
public static class LabelledEvaluator
{
    public static LabelledResult Evaluate(LabelledFile file, LabelledProtocol protocol)
    {
        int first = Math.Min(protocol.FirstScoredRow, file.RowCount);
        return new LabelledResult(
            file.Name,
            file.RowCount - first,
            ConfusionCounts.Count(file.Anomaly, file.Predicted, first),
            DetectionDelay.Measure(file.Anomaly, file.Predicted, first),
            NabProfile.All.Select(p => ChangepointScorer.Score(file, protocol, p)).ToList(),
            file.Alarms is bool[] alarms ? DetectionDelay.Measure(file.Anomaly, alarms, first) : null);
    }

    public static LabelledResult Total(IEnumerable<LabelledResult> results) =>
        results.Aggregate(LabelledResult.Empty("all files"), (sum, r) => sum.Add(r));
}
