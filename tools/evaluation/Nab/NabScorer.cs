namespace Embedded.Evaluation.Nab;

/// <summary>
/// Scores a corpus the way NAB does: rows in the probationary period are ignored; a row is a detection
/// when its anomaly score is at or above the threshold; each window earns the score of its earliest
/// detection (later ones in the same window add nothing) or -A_FN when missed; every detection outside
/// windows costs its false-positive score. The threshold is the one maximising the summed raw score
/// over all files jointly (the highest such threshold on ties), found by sweeping every distinct score.
/// </summary>
public static class NabScorer
{
    public static IReadOnlyList<NabProfileResult> ScoreAllProfiles(IReadOnlyList<NabFile> files) =>
        NabProfile.All.Select(profile => Score(files, profile)).ToList();

    public static NabProfileResult Score(IReadOnlyList<NabFile> files, NabProfile profile)
    {
        double threshold = OptimiseThreshold(files, profile);
        return ScoreAt(files, profile, threshold);
    }

    /// <summary>Tallies every file, category and the corpus at a fixed threshold.</summary>
    public static NabProfileResult ScoreAt(IReadOnlyList<NabFile> files, NabProfile profile, double threshold)
    {
        var byFile = new Dictionary<string, NabTally>();
        var byCategory = new SortedDictionary<string, NabTally>(StringComparer.Ordinal);
        var total = NabTally.Empty(profile);
        foreach (var file in files)
        {
            var tally = ScoreFile(file, profile, threshold);
            byFile[file.Name] = tally;
            byCategory[file.Category] = byCategory.TryGetValue(file.Category, out var sum) ? sum.Add(tally) : tally;
            total = total.Add(tally);
        }
        return new NabProfileResult(profile, threshold, total, byCategory, byFile);
    }

    public static NabTally ScoreFile(NabFile file, NabProfile profile, double threshold)
    {
        var (rowScore, windowOfRow) = NabScoring.RowScores(file.RowCount, file.Windows, profile);
        int start = file.ProbationaryRows;
        var scorable = ScorableWindows(file);
        var best = new double?[file.Windows.Count];
        double raw = 0;
        int falsePositives = 0;
        for (int i = start; i < file.RowCount; i++)
        {
            if (file.Scores[i] < threshold) continue;
            int w = windowOfRow[i];
            if (w < 0) { raw += rowScore[i]; falsePositives++; }
            else if (best[w] is null || rowScore[i] > best[w]) best[w] = rowScore[i];
        }
        int windows = 0, detected = 0;
        for (int w = 0; w < file.Windows.Count; w++)
        {
            if (!scorable[w]) continue;
            windows++;
            if (best[w] is double score) { raw += score; detected++; }
            else raw -= profile.FalseNegativeWeight;
        }
        return new NabTally(raw, windows, detected, falsePositives, profile);
    }

    /// <summary>The threshold maximising the corpus' summed raw score (sweep over all distinct scores).</summary>
    public static double OptimiseThreshold(IReadOnlyList<NabFile> files, NabProfile profile)
    {
        var points = new List<(double Score, double RowScore, int Window)>();
        var windowBase = 0;
        var windowScores = new List<double>();
        foreach (var file in files)
        {
            var (rowScore, windowOfRow) = NabScoring.RowScores(file.RowCount, file.Windows, profile);
            var scorable = ScorableWindows(file);
            for (int i = file.ProbationaryRows; i < file.RowCount; i++)
            {
                int w = windowOfRow[i];
                points.Add((file.Scores[i], rowScore[i], w < 0 ? -1 : windowBase + w));
            }
            for (int w = 0; w < file.Windows.Count; w++) windowScores.Add(scorable[w] ? -profile.FalseNegativeWeight : 0.0);
            windowBase += file.Windows.Count;
        }
        points.Sort((a, b) => b.Score.CompareTo(a.Score));

        // Start above every score: no detections, every window missed.
        double total = windowScores.Sum();
        double bestTotal = total;
        double bestThreshold = points.Count == 0 ? 1.0 : Math.Max(1.0, points[0].Score) + 1e-9;
        int k = 0;
        while (k < points.Count)
        {
            double threshold = points[k].Score;
            for (; k < points.Count && points[k].Score == threshold; k++)
            {
                var point = points[k];
                if (point.Window < 0) total += point.RowScore;
                else if (point.RowScore > windowScores[point.Window])
                {
                    total += point.RowScore - windowScores[point.Window];
                    windowScores[point.Window] = point.RowScore;
                }
            }
            if (total > bestTotal + 1e-12) { bestTotal = total; bestThreshold = threshold; }
        }
        return bestThreshold;
    }

    /// <summary>NAB counts a window only if at least one of its rows lies after the probationary period.</summary>
    private static bool[] ScorableWindows(NabFile file)
    {
        var scorable = new bool[file.Windows.Count];
        for (int w = 0; w < file.Windows.Count; w++) scorable[w] = file.Windows[w].EndRow >= file.ProbationaryRows;
        return scorable;
    }
}
