namespace Embedded.Evaluation.Data;

/// <summary>
/// A multi-channel stream read from CSV, in file order: the timestamp text of each row (echoed to
/// outputs), its parsed time when it parses, the value of each channel (NaN = missing), and the label
/// columns read beside them (ground truth for evaluation, never fed to a model).
/// </summary>
public sealed class TimeSeries
{
    public TimeSeries(string source, string[] channelNames, string[] timestampText, DateTime?[] times, double[][] values,
        IReadOnlyDictionary<string, double[]>? labels = null)
    {
        if (timestampText.Length != values.Length || times.Length != values.Length) throw new ArgumentException("one timestamp per row");
        labels ??= new Dictionary<string, double[]>();
        foreach (var (name, column) in labels)
            if (column.Length != values.Length) throw new ArgumentException($"label column '{name}' has {column.Length} rows, the series {values.Length}");
        Source = source;
        ChannelNames = channelNames;
        TimestampText = timestampText;
        Times = times;
        Values = values;
        Labels = labels;
    }

    /// <summary>Where the rows came from (a file path), for messages.</summary>
    public string Source { get; }
    public string[] ChannelNames { get; }
    public string[] TimestampText { get; }
    public DateTime?[] Times { get; }
    /// <summary>Values[row][channel]; NaN marks a missing or unparsable value.</summary>
    public double[][] Values { get; }
    /// <summary>Label column name (as in the header) to its value per row (NaN = missing); empty when the file has none.</summary>
    public IReadOnlyDictionary<string, double[]> Labels { get; }

    public int RowCount => Values.Length;
    public int ChannelCount => ChannelNames.Length;

    public int MissingValueCount => Values.Sum(row => row.Count(double.IsNaN));

    /// <summary>Rows whose timestamp equals the previous row's.</summary>
    public int RepeatedTimestampCount => CountTimeSteps(d => d == TimeSpan.Zero);

    /// <summary>Rows whose timestamp is earlier than the previous row's.</summary>
    public int OutOfOrderTimestampCount => CountTimeSteps(d => d < TimeSpan.Zero);

    /// <summary>Median spacing of consecutive increasing timestamps (zero when unknown).</summary>
    public TimeSpan MedianSpacing
    {
        get
        {
            var steps = new List<TimeSpan>();
            for (int i = 1; i < Times.Length; i++)
                if (Times[i] is DateTime b && Times[i - 1] is DateTime a && b > a) steps.Add(b - a);
            if (steps.Count == 0) return TimeSpan.Zero;
            steps.Sort();
            return steps[steps.Count / 2];
        }
    }

    /// <summary>The first <paramref name="rows"/> rows.</summary>
    public TimeSeries Head(int rows)
    {
        rows = Math.Clamp(rows, 0, RowCount);
        var labels = Labels.ToDictionary(l => l.Key, l => l.Value[..rows]);
        return new TimeSeries(Source, ChannelNames, TimestampText[..rows], Times[..rows], Values[..rows], labels);
    }

    private int CountTimeSteps(Func<TimeSpan, bool> predicate)
    {
        int count = 0;
        for (int i = 1; i < Times.Length; i++)
            if (Times[i] is DateTime b && Times[i - 1] is DateTime a && predicate(b - a)) count++;
        return count;
    }
}
