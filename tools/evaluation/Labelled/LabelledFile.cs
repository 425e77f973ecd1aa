namespace Embedded.Evaluation.Labelled;

/// <summary>
/// One labelled file with the detector's output beside it, row for row: the times (when the timestamps
/// parse), the anomaly and changepoint labels, the detector's state <c>is_anomaly</c> and, when the scores
/// have them, its alarms (<c>alarm</c>: the events an operator gets a message for).
/// </summary>
public sealed class LabelledFile
{
    public LabelledFile(string name, DateTime?[] times, bool[] anomaly, bool[] changepoint, bool[] predicted, bool[]? alarms = null)
    {
        if (anomaly.Length != times.Length || changepoint.Length != times.Length || predicted.Length != times.Length || (alarms is not null && alarms.Length != times.Length))
            throw new ArgumentException($"{name}: times, labels and predictions must have one entry per row");
        Name = name;
        Times = times;
        Anomaly = anomaly;
        Changepoint = changepoint;
        Predicted = predicted;
        Alarms = alarms;
    }

    /// <summary>The file's name relative to the data folder (or its path), for the report.</summary>
    public string Name { get; }
    public DateTime?[] Times { get; }
    public bool[] Anomaly { get; }
    public bool[] Changepoint { get; }
    public bool[] Predicted { get; }
    /// <summary>The detector's alarms, row for row; null when the scores have no alarm column.</summary>
    public bool[]? Alarms { get; }
    public int RowCount => Times.Length;

    /// <summary>
    /// Predicted changepoints from <paramref name="firstRow"/> on: rows where the state changes (|diff| = 1);
    /// the first scored row counts when the state is already 1 there (SKAB sets its diff to the state itself).
    /// </summary>
    public bool[] PredictedChangepoints(int firstRow)
    {
        var changes = new bool[RowCount];
        for (int i = firstRow; i < RowCount; i++)
            changes[i] = i == firstRow ? Predicted[i] : Predicted[i] != Predicted[i - 1];
        return changes;
    }
}
