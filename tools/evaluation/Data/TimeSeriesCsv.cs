using System.Globalization;
using Embedded.Csv;
using Embedded.Evaluation.Nab;

namespace Embedded.Evaluation.Data;

/// <summary>
/// Reads a stream CSV as people have it: a header row; `,` `;` or tab as delimiter (detected from the
/// header, or given); RFC 4180 quoted fields; an optional timestamp column (named "timestamp", "time",
/// "date" or "datetime", else none); label columns (see <see cref="LabelColumns"/>) kept apart; every other
/// column a numeric value. Empty, "NaN" and "null" fields are missing values (NaN); any other unparsable
/// value is an error naming file, line and column.
/// </summary>
public static class TimeSeriesCsv
{
    private static readonly string[] TimestampNames = ["timestamp", "time", "date", "datetime"];

    public static TimeSeries Read(string path, IReadOnlyList<string>? valueColumns = null) =>
        Read(path, CsvReadOptions.Default with { Columns = valueColumns });

    public static TimeSeries Read(string path, CsvReadOptions options)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        using var reader = new StreamReader(path);
        string? headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new FormatException($"{path}: line 1: missing header row");
        if (LooksBinary(headerLine)) throw new FormatException($"{path}: not a text CSV (line 1 holds control characters; is it a binary file?)");
        char delimiter = options.Delimiter ?? CsvDelimiter.Detect(headerLine);
        var header = CsvFields.Split(headerLine, delimiter, path, 1).Select(h => h.Trim()).ToArray();
        int timeColumn = Array.FindIndex(header, h => TimestampNames.Contains(h.ToLowerInvariant()));
        int[] labels = LabelIndices(header, options.Labels, path);
        int[] channels;
        if (options.Columns is { Count: > 0 } wanted)
        {
            channels = wanted.Select(name =>
            {
                int index = Array.IndexOf(header, name);
                return index >= 0 ? index : throw new FormatException($"{path}: line 1: no column named '{name}' (columns: {string.Join(", ", header)})");
            }).ToArray();
            labels = labels.Except(channels).ToArray();
        }
        else
        {
            channels = Enumerable.Range(0, header.Length).Where(i => i != timeColumn && !labels.Contains(i)).ToArray();
        }
        if (channels.Length == 0) throw new FormatException($"{path}: line 1: no value columns besides the timestamp and labels (delimiter {CsvDelimiter.Name(delimiter)}; columns: {string.Join(", ", header)})");

        var stamps = new List<string>();
        var times = new List<DateTime?>();
        var values = new List<double[]>();
        var labelValues = labels.Select(_ => new List<double>()).ToArray();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var fields = CsvFields.Split(line, delimiter, path, lineNumber);
            if (fields.Length != header.Length)
                throw new FormatException($"{path}: line {lineNumber}: {fields.Length} fields, the header has {header.Length} (delimiter {CsvDelimiter.Name(delimiter)})");
            string stamp = timeColumn >= 0 ? fields[timeColumn].Trim() : values.Count.ToString(CultureInfo.InvariantCulture);
            stamps.Add(stamp);
            times.Add(timeColumn >= 0 && NabTimestamps.TryParse(stamp, out var time) ? time : null);
            var row = new double[channels.Length];
            for (int c = 0; c < channels.Length; c++) row[c] = ParseValue(fields[channels[c]], path, lineNumber, channels[c], header[channels[c]], delimiter);
            values.Add(row);
            for (int l = 0; l < labels.Length; l++) labelValues[l].Add(ParseValue(fields[labels[l]], path, lineNumber, labels[l], header[labels[l]], delimiter));
        }
        if (values.Count == 0) throw new FormatException($"{path}: no data rows after the header");
        var labelColumns = new Dictionary<string, double[]>(StringComparer.OrdinalIgnoreCase);
        for (int l = 0; l < labels.Length; l++) labelColumns[header[labels[l]]] = labelValues[l].ToArray();
        return new TimeSeries(path, channels.Select(i => header[i]).ToArray(), stamps.ToArray(), times.ToArray(), values.ToArray(), labelColumns);
    }

    /// <summary>Header indices of the label columns: the named ones (each must exist) or those with a default label name.</summary>
    private static int[] LabelIndices(string[] header, IReadOnlyList<string>? names, string path)
    {
        if (names is null)
            return Enumerable.Range(0, header.Length).Where(i => LabelColumns.IsDefaultLabel(header[i])).ToArray();
        return names.Select(name =>
        {
            int index = Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? index : throw new FormatException($"{path}: line 1: no label column named '{name}' (columns: {string.Join(", ", header)})");
        }).ToArray();
    }

    private static double ParseValue(string field, string path, int line, int columnIndex, string column, char delimiter)
    {
        string text = field.Trim();
        if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase) || text.Equals("null", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        // Infinities (pandas writes inf / -inf) are missing values, as on the devices.
        if (InfinityNames.Contains(text.ToLowerInvariant())) return double.NaN;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return double.IsInfinity(value) ? double.NaN : value;
        string hint = "";
        foreach (char other in new[] { ',', ';', '\t' })
            if (other != delimiter && text.Contains(other)) { hint = $" (the file looks {CsvDelimiter.Name(other)}-separated; try --delimiter {(other == '\t' ? "tab" : other.ToString())})"; break; }
        throw new FormatException($"{path}: line {line}, column {columnIndex + 1} '{column}': '{Shorten(text)}' is not a number{hint}");
    }

    private static readonly HashSet<string> InfinityNames = ["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"];

    /// <summary>A header with NUL or other control characters (besides tab) is a binary file, not a CSV.</summary>
    private static bool LooksBinary(string line) => line.Any(c => c == '\0' || (char.IsControl(c) && c != '\t' && c != '\r'));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
