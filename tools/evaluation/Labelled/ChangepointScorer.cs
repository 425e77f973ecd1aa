using Embedded.Evaluation.Nab;

namespace Embedded.Evaluation.Labelled;

/// <summary>
/// NAB-style scoring of changepoints. Predicted changepoints are the changes of the detector's state
/// (<see cref="LabelledFile.PredictedChangepoints"/>); each true changepoint opens a window to its right,
/// [cp, cp + width] inclusive; a window overlapping the next is cut where the earlier ends (SKAB's
/// "cut right window"). Only the first prediction in a window counts, scored by its position (earlier
/// = more); a window without one costs A_FN; a prediction in no window is a false positive. Later
/// predictions inside an already detected window cost nothing.
/// </summary>
public static class ChangepointScorer
{
    public static NabTally Score(LabelledFile file, LabelledProtocol protocol, NabProfile profile)
    {
        int first = Math.Min(protocol.FirstScoredRow, file.RowCount);
        var keys = Keys(file, protocol, first);
        var windows = Windows(file, protocol, first, keys);
        var predicted = file.PredictedChangepoints(first);
        return protocol.Scale == ChangepointScale.SkabTanh
            ? ScoreTanh(predicted, first, keys, windows, profile)
            : ScoreSigmoid(file, predicted, first, keys, windows, profile);
    }

    /// <summary>Where each row sits on the window's axis: seconds since the first row for a duration, else the row index.</summary>
    private static double[] Keys(LabelledFile file, LabelledProtocol protocol, int first)
    {
        var keys = new double[file.RowCount];
        bool byTime = protocol.Window?.Duration is not null;
        DateTime? origin = null;
        for (int i = 0; i < file.RowCount; i++)
        {
            if (!byTime) { keys[i] = i; continue; }
            if (i < first) continue;
            if (file.Times[i] is not DateTime t)
                throw new FormatException($"{file.Name}: line {i + 2}: the timestamp does not parse; a window given as a duration needs times (give --window in rows)");
            origin ??= t;
            keys[i] = (t - origin.Value).TotalSeconds;
            if (i > first && keys[i] < keys[i - 1])
                throw new FormatException($"{file.Name}: line {i + 2}: timestamp earlier than the row before; a window given as a duration needs times in order");
        }
        return keys;
    }

    /// <summary>Each true changepoint's window as [start, end] on the key axis, cut where it would overlap the one before.</summary>
    private static List<(double Start, double End)> Windows(LabelledFile file, LabelledProtocol protocol, int first, double[] keys)
    {
        var changepoints = Enumerable.Range(first, file.RowCount - first).Where(i => file.Changepoint[i]).ToList();
        double width = protocol.Window switch
        {
            { Rows: int rows } => rows,
            { Duration: TimeSpan d } => d.TotalSeconds,
            // NAB's rule: a tenth of the scored rows, shared among the file's windows.
            _ => Math.Max(1, Math.Floor(0.1 * (file.RowCount - first) / Math.Max(1, changepoints.Count))),
        };
        var windows = changepoints.Select(i => (Start: keys[i], End: keys[i] + width)).ToList();
        for (int w = 0; w + 1 < windows.Count; w++)
            if (windows[w].End >= windows[w + 1].Start) windows[w + 1] = (windows[w].End, windows[w + 1].End);
        return windows;
    }

    private static NabTally ScoreTanh(bool[] predicted, int first, double[] keys, List<(double Start, double End)> windows, NabProfile profile)
    {
        var found = new bool[windows.Count];
        double raw = 0;
        int falsePositives = 0;
        for (int i = first; i < predicted.Length; i++)
        {
            if (!predicted[i]) continue;
            bool inside = false;
            for (int w = 0; w < windows.Count; w++)
            {
                if (keys[i] < windows[w].Start || keys[i] > windows[w].End) continue;
                inside = true;
                if (found[w]) continue;
                found[w] = true;
                raw += TanhScale(keys[i], windows[w].Start, windows[w].End, profile);
            }
            if (!inside) { falsePositives++; raw -= profile.FalsePositiveWeight; }
        }
        int detected = found.Count(f => f);
        raw -= profile.FalseNegativeWeight * (windows.Count - detected);
        return new NabTally(raw, windows.Count, detected, falsePositives, profile);
    }

    /// <summary>
    /// tsad's scale: from A_TP at the window's start along -tanh to -A_FP at its end, on a grid of 1,000
    /// points over [-π/2, π/2]; the position is truncated to a grid index as SKAB's code does.
    /// </summary>
    public static double TanhScale(double at, double start, double end, NabProfile profile)
    {
        const int steps = 1000;
        int index = end > start ? (int)((at - start) / (end - start) * steps) : 0;
        index = Math.Clamp(index, 0, steps - 1);
        double x = -Math.PI / 2 + index * Math.PI / (steps - 1);
        double truePositive = profile.TruePositiveWeight, falsePositive = -profile.FalsePositiveWeight;
        double half = (truePositive - falsePositive) / 2;
        return half * -Math.Tanh(x) / Math.Tanh(Math.PI / 2) + half + falsePositive;
    }

    private static NabTally ScoreSigmoid(LabelledFile file, bool[] predicted, int first, double[] keys, List<(double Start, double End)> windows, NabProfile profile)
    {
        // NAB's maths works on disjoint row windows: each window holds the scored rows inside it, after the previous window's rows.
        var rows = new List<AnomalyWindow>();
        int previousEnd = first - 1;
        foreach (var (start, end) in windows)
        {
            int from = Math.Max(previousEnd + 1, Array.FindIndex(keys, first, k => k >= start));
            int to = Array.FindLastIndex(keys, k => k <= end);
            if (from < 0 || to < from) continue;
            rows.Add(new AnomalyWindow(from, to));
            previousEnd = to;
        }
        var (rowScore, windowOfRow) = NabScoring.RowScores(file.RowCount, rows, profile);
        var best = new double?[rows.Count];
        double raw = 0;
        int falsePositives = 0;
        for (int i = first; i < file.RowCount; i++)
        {
            if (!predicted[i]) continue;
            int w = windowOfRow[i];
            if (w < 0) { raw += rowScore[i]; falsePositives++; }
            else best[w] ??= rowScore[i]; // the first prediction in the window is its earliest
        }
        int detected = best.Count(b => b is not null);
        raw += best.Sum(b => b ?? -profile.FalseNegativeWeight);
        return new NabTally(raw, rows.Count, detected, falsePositives, profile);
    }
}
