using System.Globalization;
using Embedded.Csv;

namespace Embedded.Edge.Sources;

/// <summary>
/// Which fields of a CSV line are the timestamp and the channel values, and how a line splits: `,` `;` or
/// tab, detected from the first line as `detect` does it (the most frequent outside quotes), and RFC 4180
/// quotes (Embedded.Csv). Columns are chosen by header name or by 0-based index; without a choice, every
/// field except the timestamp and the label columns (`anomaly`, `label`, `changepoint`, `is_anomaly`: ground
/// truth, never a sensor) is a channel.
/// </summary>
public sealed class CsvLayout
{
    private CsvLayout(int timestampIndex, int[] valueIndices, string[] channelNames, int fieldCount, char delimiter)
    {
        TimestampIndex = timestampIndex;
        ValueIndices = valueIndices;
        ChannelNames = channelNames;
        FieldCount = fieldCount;
        Delimiter = delimiter;
    }

    /// <summary>The field delimiter: `,` `;` or tab.</summary>
    public char Delimiter { get; }

    /// <summary>Header names taken as the timestamp column when none is chosen (as the detect pipeline does).</summary>
    public static readonly string[] TimestampNames = ["timestamp", "time", "date", "datetime"];

    /// <summary>-1 when lines carry no timestamp (the receive time is used).</summary>
    public int TimestampIndex { get; }

    public int[] ValueIndices { get; }

    public string[] ChannelNames { get; }

    /// <summary>Fields every line must have (-1: at least as many as the highest index used).</summary>
    public int FieldCount { get; }

    /// <summary>Whether a first line looks like a header: some field is not a number.</summary>
    public static bool LooksLikeHeader(string line)
    {
        foreach (string field in SplitLenient(line, CsvDelimiter.Detect(line)))
        {
            string text = field.Trim().Trim('"');
            if (!IsMissing(text) && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return true;
        }

        return false;
    }

    /// <summary>
    /// Resolves the layout from a header line. <paramref name="timestampColumn"/> defaults to a column named
    /// "timestamp" (or "time"/"t") when present; <paramref name="valueColumns"/> default to all the others.
    /// </summary>
    public static CsvLayout FromHeader(string header, string? timestampColumn, IReadOnlyList<string>? valueColumns, string where)
    {
        char delimiter = CsvDelimiter.Detect(header);
        string[] names = SplitLenient(header, delimiter);
        for (int i = 0; i < names.Length; i++) names[i] = names[i].Trim().Trim('"');
        int ts = -1;
        if (!string.IsNullOrEmpty(timestampColumn))
        {
            ts = Resolve(names, timestampColumn, where);
        }
        else
        {
            foreach (string candidate in TimestampNames)
            {
                ts = Array.FindIndex(names, n => string.Equals(n, candidate, StringComparison.OrdinalIgnoreCase));
                if (ts >= 0) break;
            }
        }

        int[] values;
        if (valueColumns is { Count: > 0 })
        {
            values = new int[valueColumns.Count];
            for (int i = 0; i < values.Length; i++) values[i] = Resolve(names, valueColumns[i], where);
        }
        else
        {
            values = Enumerable.Range(0, names.Length).Where(i => i != ts && !LabelColumns.IsDefaultLabel(names[i])).ToArray();
        }

        if (values.Length == 0) throw new FormatException($"{where}: header '{header}' has no value columns (delimiter {CsvDelimiter.Name(delimiter)}).");
        return new CsvLayout(ts, values, values.Select(i => names[i]).ToArray(), names.Length, delimiter);
    }

    /// <summary>Layout for headerless lines: columns are indices; without value columns every non-timestamp field of the first line counts.</summary>
    public static CsvLayout FromIndices(string firstLine, string? timestampColumn, IReadOnlyList<string>? valueColumns, string where)
    {
        char delimiter = CsvDelimiter.Detect(firstLine);
        int fields = SplitLenient(firstLine, delimiter).Length;
        int ts = string.IsNullOrEmpty(timestampColumn) ? -1 : ParseIndex(timestampColumn, fields, where);
        int[] values = valueColumns is { Count: > 0 }
            ? valueColumns.Select(c => ParseIndex(c, fields, where)).ToArray()
            : Enumerable.Range(0, fields).Where(i => i != ts).ToArray();
        if (values.Length == 0) throw new FormatException($"{where}: no value columns.");
        return new CsvLayout(ts, values, values.Select(i => "ch" + i.ToString(CultureInfo.InvariantCulture)).ToArray(), fields, delimiter);
    }

    /// <summary>
    /// Layout for headerless lines of a known shape: <paramref name="channelCount"/> values, plus a timestamp
    /// field when <paramref name="timestampColumn"/> (an index) is given. Lines with another field count are malformed.
    /// </summary>
    public static CsvLayout Fixed(int channelCount, string? timestampColumn, IReadOnlyList<string>? valueColumns, string where)
    {
        int ts = string.IsNullOrEmpty(timestampColumn) ? -1 : ParseIndex(timestampColumn, int.MaxValue, where);
        if (valueColumns is { Count: > 0 })
        {
            int[] chosen = valueColumns.Select(c => ParseIndex(c, int.MaxValue, where)).ToArray();
            return new CsvLayout(ts, chosen, chosen.Select(i => "ch" + i.ToString(CultureInfo.InvariantCulture)).ToArray(), -1, ',');
        }

        int fields = channelCount + (ts >= 0 ? 1 : 0);
        int[] values = Enumerable.Range(0, fields).Where(i => i != ts).ToArray();
        return new CsvLayout(ts, values, values.Select(i => "ch" + i.ToString(CultureInfo.InvariantCulture)).ToArray(), fields, ',');
    }

    /// <summary>
    /// Parses one line. On failure returns false with an error naming the field; the line is then skipped
    /// (and counted) by the source.
    /// </summary>
    public bool TryParse(string line, out string? timestamp, out double[] values, out string error)
    {
        timestamp = null;
        values = Array.Empty<double>();
        string[] fields;
        try
        {
            fields = Delimiter == ',' && line.IndexOf('"') < 0 ? line.Split(',') : CsvFields.Split(line, Delimiter, "", 0);
        }
        catch (FormatException)
        {
            error = "a quote opened but not closed, or text after a closing quote";
            return false;
        }
        if (FieldCount > 0 && fields.Length != FieldCount)
        {
            error = $"expected {FieldCount} fields, found {fields.Length}";
            return false;
        }

        if (TimestampIndex >= 0)
        {
            if (TimestampIndex >= fields.Length)
            {
                error = $"missing timestamp field {TimestampIndex}";
                return false;
            }

            timestamp = fields[TimestampIndex].Trim();
        }

        var parsed = new double[ValueIndices.Length];
        for (int i = 0; i < parsed.Length; i++)
        {
            int index = ValueIndices[i];
            if (index >= fields.Length)
            {
                error = $"missing field {index} ({ChannelNames[i]})";
                return false;
            }

            string text = fields[index].Trim().Trim('"');
            if (IsMissing(text))
            {
                parsed[i] = double.NaN; // a gap in the stream: the engine bridges it with its forecast
                continue;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[i]))
            {
                error = $"field {index} ({ChannelNames[i]}) is not a number: '{Truncate(text)}'";
                return false;
            }

            if (double.IsInfinity(parsed[i])) parsed[i] = double.NaN;
        }

        values = parsed;
        error = "";
        return true;
    }

    /// <summary>The fields of a header or first line; a malformed quote there leaves the line as plain fields.</summary>
    private static string[] SplitLenient(string line, char delimiter)
    {
        try
        {
            return CsvFields.Split(line, delimiter, "", 1);
        }
        catch (FormatException)
        {
            return line.Split(delimiter);
        }
    }

    /// <summary>Empty, "NaN" and "null" fields are missing values (so is a number beyond double range).</summary>
    private static bool IsMissing(string text) =>
        text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase) || text.Equals("null", StringComparison.OrdinalIgnoreCase);

    private static int Resolve(string[] names, string column, string where)
    {
        int byName = Array.FindIndex(names, n => string.Equals(n, column, StringComparison.OrdinalIgnoreCase));
        if (byName >= 0) return byName;
        if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < names.Length) return index;
        throw new FormatException($"{where}: column '{column}' is not in the header ({string.Join(",", names)}).");
    }

    private static int ParseIndex(string column, int fields, string where)
    {
        if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < fields) return index;
        throw new FormatException($"{where}: column '{column}' must be a 0-based index below {fields} (the input has no header).");
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";
}
