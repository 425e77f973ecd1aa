using System.Globalization;

namespace Embedded.Trainer.Data;

/// <summary>
/// A numeric time series read from a CSV: chosen feature columns and target columns as raw doubles
/// (one row per time step, file order), plus the optional timestamp column as text.
/// Every cell is checked: non-numeric, NaN and infinite cells are errors naming file, line and column.
/// </summary>
public sealed class CsvSeries
{
    private CsvSeries(string path, string[] features, string[] targets, string? timestampColumn,
        double[][] featureRows, double[][] targetRows, string[]? timestamps, int[] lines)
    {
        Path = path;
        FeatureColumns = features;
        TargetColumns = targets;
        TimestampColumn = timestampColumn;
        Features = featureRows;
        Targets = targetRows;
        Timestamps = timestamps;
        LineNumbers = lines;
    }

    public string Path { get; }
    public string[] FeatureColumns { get; }
    public string[] TargetColumns { get; }
    public string? TimestampColumn { get; }
    /// <summary>Features[row][feature], raw units.</summary>
    public double[][] Features { get; }
    /// <summary>Targets[row][target], raw units.</summary>
    public double[][] Targets { get; }
    public string[]? Timestamps { get; }
    public int[] LineNumbers { get; }
    public int Count => Features.Length;

    /// <summary>
    /// Loads <paramref name="path"/>. <paramref name="featureColumns"/> null or empty means: the target columns.
    /// <paramref name="targetColumns"/> null or empty means: every column except the timestamp.
    /// </summary>
    public static CsvSeries Load(string path, IReadOnlyList<string>? featureColumns, IReadOnlyList<string>? targetColumns, string? timestampColumn = null)
    {
        CsvTable table = CsvTable.Load(path);
        int timestampIndex = timestampColumn is null ? -1 : table.ColumnIndex(timestampColumn);
        string[] targets = targetColumns is { Count: > 0 }
            ? targetColumns.ToArray()
            : table.Header.Where((_, i) => i != timestampIndex).ToArray();
        if (targets.Length == 0) throw new DataFormatException(path, 1, null, "no target columns (the file has only the timestamp column)");
        string[] features = featureColumns is { Count: > 0 } ? featureColumns.ToArray() : targets;
        int[] featureIndex = features.Select(table.ColumnIndex).ToArray();
        int[] targetIndex = targets.Select(table.ColumnIndex).ToArray();

        int n = table.Rows.Length;
        var featureRows = new double[n][];
        var targetRows = new double[n][];
        string[]? timestamps = timestampIndex >= 0 ? new string[n] : null;
        for (int r = 0; r < n; r++)
        {
            featureRows[r] = Parse(table, r, featureIndex);
            targetRows[r] = Parse(table, r, targetIndex);
            if (timestamps is not null) timestamps[r] = table.Rows[r][timestampIndex].Trim();
        }
        return new CsvSeries(path, features, targets, timestampColumn, featureRows, targetRows, timestamps, table.LineNumbers);
    }

    /// <summary>Median spacing of the timestamps in seconds, or 0 when there are none or they do not parse as dates.</summary>
    public double MedianSamplePeriodSeconds()
    {
        if (Timestamps is null || Timestamps.Length < 2) return 0;
        var times = new List<DateTime>(Timestamps.Length);
        foreach (string s in Timestamps)
        {
            if (!DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime t)) return 0;
            times.Add(t);
        }
        var gaps = new double[times.Count - 1];
        for (int i = 1; i < times.Count; i++) gaps[i - 1] = (times[i] - times[i - 1]).TotalSeconds;
        Array.Sort(gaps);
        return gaps[gaps.Length / 2];
    }

    /// <summary>Throws a clear error unless there are at least <paramref name="needed"/> rows.</summary>
    public void RequireRows(int needed, string why)
    {
        if (Count < needed)
            throw new DataFormatException(Path, 0, null, $"too few rows: {Count} data rows, {why} needs at least {needed}");
    }

    private static double[] Parse(CsvTable table, int row, int[] columns)
    {
        var values = new double[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            string text = table.Rows[row][columns[i]].Trim();
            string column = table.Header[columns[i]];
            if (text.Length == 0) throw new DataFormatException(table.Path, table.LineNumbers[row], column, "empty cell (expected a number)");
            string bare = text.TrimStart('+', '-').ToLowerInvariant();
            if (bare is "nan" or "inf" or "infinity" or "∞")
                throw new DataFormatException(table.Path, table.LineNumbers[row], column, $"'{text}' is not a finite number");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new DataFormatException(table.Path, table.LineNumbers[row], column, $"'{text}' is not a number");
            if (double.IsNaN(v) || double.IsInfinity(v))
                throw new DataFormatException(table.Path, table.LineNumbers[row], column, $"'{text}' is not a finite number");
            values[i] = v;
        }
        return values;
    }
}
