namespace Embedded.Evaluation.Detection;

/// <summary>What scoring a stream produced, row by row in input order (no NaN anywhere).</summary>
public sealed class ScoredStream(double[][] predictions, double[] scores, bool[] anomalies, bool[] alarms, int outOfRangeRows = 0, int[]? leading = null)
{
    /// <summary>Rows whose values lay beyond the model's calibrated values by more than their range (a model that may not fit the data).</summary>
    public int OutOfRangeRows { get; } = outOfRangeRows;

    /// <summary>The forecast made for each row from the rows before it (row 0: its own value).</summary>
    public double[][] Predictions { get; } = predictions;
    /// <summary>Anomaly score in [0, 1] (after the hold-off: an event scores once).</summary>
    public double[] Scores { get; } = scores;
    /// <summary>The detector's abnormal state after each row (is_anomaly).</summary>
    public bool[] Anomalies { get; } = anomalies;
    /// <summary>Whether the row raised an alarm (an episode's start or a value beyond the range seen so far).</summary>
    public bool[] Alarms { get; } = alarms;
    /// <summary>Per row, what gave the detector's score (AnomalyDetector.LeadingTracker: channel * 8 + kind; -1 none).</summary>
    public int[] Leading { get; } = leading ?? Enumerable.Repeat(-1, scores.Length).ToArray();

    /// <summary>
    /// The channels behind the abnormal rows: per channel index, how many abnormal rows it led (rows where
    /// nothing scored are not counted), most first.
    /// </summary>
    public List<(int Channel, int Rows)> AbnormalRowsByChannel() =>
        Anomalies.Select((abnormal, t) => abnormal ? Embedded.Shared.Detection.AnomalyDetector.LeadingChannel(Leading[t]) : -1)
            .Where(c => c >= 0).GroupBy(c => c).Select(g => (g.Key, g.Count()))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key).ToList();
}
