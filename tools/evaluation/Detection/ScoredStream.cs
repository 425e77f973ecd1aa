namespace Embedded.Evaluation.Detection;

/// <summary>What scoring a stream produced, row by row in input order (no NaN anywhere).</summary>
public sealed class ScoredStream(double[][] predictions, double[] scores, bool[] anomalies)
{
    /// <summary>The forecast made for each row from the rows before it (row 0: its own value).</summary>
    public double[][] Predictions { get; } = predictions;
    /// <summary>Anomaly score in [0, 1].</summary>
    public double[] Scores { get; } = scores;
    /// <summary>Whether the score reached the detector's calibrated threshold.</summary>
    public bool[] Anomalies { get; } = anomalies;
}
