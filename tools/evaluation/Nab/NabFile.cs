namespace Embedded.Evaluation.Nab;

/// <summary>One scored file of a NAB corpus: its name ("category/file.csv"), the detector's score per row, its windows.</summary>
public sealed class NabFile
{
    public NabFile(string name, double[] scores, IReadOnlyList<AnomalyWindow> windows)
    {
        Name = name;
        Scores = scores;
        Windows = windows;
        for (int w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            if (window.StartRow < 0 || window.EndRow >= scores.Length || window.EndRow < window.StartRow)
                throw new ArgumentException($"{name}: window {w} rows [{window.StartRow}, {window.EndRow}] is outside the file's {scores.Length} rows");
            if (w > 0 && window.StartRow <= windows[w - 1].EndRow)
                throw new ArgumentException($"{name}: window {w} overlaps or precedes window {w - 1}");
        }
        for (int i = 0; i < scores.Length; i++)
            if (double.IsNaN(scores[i])) throw new ArgumentException($"{name}: anomaly score of row {i} is NaN");
    }

    public string Name { get; }
    public double[] Scores { get; }
    public IReadOnlyList<AnomalyWindow> Windows { get; }
    public int RowCount => Scores.Length;

    /// <summary>"realKnownCause" for "realKnownCause/nyc_taxi.csv"; "" when the name has no folder.</summary>
    public string Category
    {
        get
        {
            int slash = Name.Replace('\\', '/').LastIndexOf('/');
            return slash < 0 ? "" : Name[..slash];
        }
    }

    /// <summary>Rows before this index are NAB's probationary period and are not scored.</summary>
    public int ProbationaryRows => NabScoring.ProbationaryLength(RowCount);
}
