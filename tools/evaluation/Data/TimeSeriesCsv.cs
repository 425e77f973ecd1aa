using System.Globalization;
using Embedded.Evaluation.Nab;

namespace Embedded.Evaluation.Data;

/// <summary>
/// Reads a stream CSV: a header row, an optional timestamp column (named "timestamp", "time", "date" or
/// "datetime", else none) and one or more numeric value columns. Empty, "NaN" and "null" fields are
/// missing values (NaN); any other unparsable value is an error naming file, line and column.
/// </summary>
public static class TimeSeriesCsv
{
    private static readonly string[] TimestampNames = ["timestamp", "time", "date", "datetime"];

    public static TimeSeries Read(string path, IReadOnlyList<string>? valueColumns = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        using var reader = new StreamReader(path);
        string? headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new FormatException($"{path}: line 1: missing header row");
        var header = headerLine.Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        int timeColumn = Array.FindIndex(header, h => TimestampNames.Contains(h.ToLowerInvariant()));
        int[] channels;
        if (valueColumns is { Count: > 0 })
        {
            channels = valueColumns.Select(name =>
            {
                int index = Array.IndexOf(header, name);
                return index >= 0 ? index : throw new FormatException($"{path}: line 1: no column named '{name}' (columns: {string.Join(", ", header)})");
            }).ToArray();
        }
        else
        {
            channels = Enumerable.Range(0, header.Length).Where(i => i != timeColumn).ToArray();
        }
        if (channels.Length == 0) throw new FormatException($"{path}: line 1: no value columns besides the timestamp");

        var stamps = new List<string>();
        var times = new List<DateTime?>();
        var values = new List<double[]>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != header.Length) throw new FormatException($"{path}: line {lineNumber}: {fields.Length} fields, the header has {header.Length}");
            string stamp = timeColumn >= 0 ? fields[timeColumn].Trim() : (values.Count).ToString(CultureInfo.InvariantCulture);
            stamps.Add(stamp);
            times.Add(timeColumn >= 0 && NabTimestamps.TryParse(stamp, out var time) ? time : null);
            var row = new double[channels.Length];
            for (int c = 0; c < channels.Length; c++) row[c] = ParseValue(fields[channels[c]], path, lineNumber, header[channels[c]]);
            values.Add(row);
        }
        if (values.Count == 0) throw new FormatException($"{path}: no data rows after the header");
        return new TimeSeries(path, channels.Select(i => header[i]).ToArray(), stamps.ToArray(), times.ToArray(), values.ToArray());
    }

    private static double ParseValue(string field, string path, int line, string column)
    {
        string text = field.Trim().Trim('"');
        if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase) || text.Equals("null", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return double.IsInfinity(value) ? double.NaN : value;
        throw new FormatException($"{path}: line {line}, column '{column}': '{text}' is not a number");
    }
}
