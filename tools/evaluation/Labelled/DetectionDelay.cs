namespace Embedded.Evaluation.Labelled;

/// <summary>
/// How quickly anomaly episodes (maximal runs of labelled rows) are flagged: for each episode the rows from
/// its first row to the first flagged row inside it; episodes never flagged are counted apart, not averaged in.
/// </summary>
public readonly record struct DetectionDelay(int Episodes, int Detected, long TotalDelayRows)
{
    public int Missed => Episodes - Detected;

    /// <summary>Mean rows from an episode's start to its first flag, over detected episodes; null when none was.</summary>
    public double? MeanDelayRows => Detected == 0 ? null : TotalDelayRows / (double)Detected;

    public DetectionDelay Add(DetectionDelay other) => new(Episodes + other.Episodes, Detected + other.Detected, TotalDelayRows + other.TotalDelayRows);

    /// <summary>Episodes are cut at <paramref name="firstRow"/>: one running across it starts there.</summary>
    public static DetectionDelay Measure(IReadOnlyList<bool> truth, IReadOnlyList<bool> predicted, int firstRow)
    {
        int episodes = 0, detected = 0;
        long delay = 0;
        int i = firstRow;
        while (i < truth.Count)
        {
            if (!truth[i]) { i++; continue; }
            int start = i;
            int? first = null;
            for (; i < truth.Count && truth[i]; i++)
                if (first is null && predicted[i]) first = i;
            episodes++;
            if (first is int f) { detected++; delay += f - start; }
        }
        return new DetectionDelay(episodes, detected, delay);
    }
}
