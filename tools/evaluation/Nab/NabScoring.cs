namespace Embedded.Evaluation.Nab;

/// <summary>
/// NAB's per-row scoring function (Lavin and Ahmad 2015, NAB wiki "NAB scoring"): a detection inside a
/// window earns the scaled sigmoid of its position relative to the window's right end (early = close to
/// A_TP, late = close to 0); a detection outside windows costs A_FP times the scaled sigmoid of its
/// distance past the preceding window (about 0 just after a window, -1 far from it or before any window).
/// </summary>
public static class NabScoring
{
    /// <summary>NAB probationary period: the first 15 % of rows, at most 750 (15 % of 5000).</summary>
    public static int ProbationaryLength(int rowCount) => Math.Min((int)Math.Floor(0.15 * rowCount), 750);

    /// <summary>2 / (1 + e^(5x)) - 1, and -1 beyond x = 3 (far behind a window).</summary>
    public static double ScaledSigmoid(double relativePosition)
    {
        if (relativePosition > 3.0) return -1.0;
        return 2.0 / (1.0 + Math.Exp(5.0 * relativePosition)) - 1.0;
    }

    /// <summary>
    /// The weighted score a detection at each row would earn under <paramref name="profile"/>, and the
    /// index of the window holding the row (-1 outside windows).
    /// </summary>
    public static (double[] RowScore, int[] WindowOfRow) RowScores(int rowCount, IReadOnlyList<AnomalyWindow> windows, NabProfile profile)
    {
        var rowScore = new double[rowCount];
        var windowOfRow = new int[rowCount];
        double maxTruePositive = ScaledSigmoid(-1.0);
        int next = 0;
        AnomalyWindow? previous = null;
        for (int i = 0; i < rowCount; i++)
        {
            while (next < windows.Count && windows[next].EndRow < i) { previous = windows[next]; next++; }
            if (next < windows.Count && windows[next].Contains(i))
            {
                var window = windows[next];
                double position = -(window.EndRow - i + 1) / (double)window.Width;
                rowScore[i] = ScaledSigmoid(position) * profile.TruePositiveWeight / maxTruePositive;
                windowOfRow[i] = next;
            }
            else
            {
                double unweighted;
                if (previous is null || previous.Value.Width <= 1) unweighted = -1.0;
                else unweighted = ScaledSigmoid(Math.Abs(previous.Value.EndRow - i) / (double)(previous.Value.Width - 1));
                rowScore[i] = unweighted * profile.FalsePositiveWeight;
                windowOfRow[i] = -1;
            }
        }
        return (rowScore, windowOfRow);
    }
}
