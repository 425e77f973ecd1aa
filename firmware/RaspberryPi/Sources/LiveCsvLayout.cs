namespace Embedded.Edge.Sources;

/// <summary>
/// The column layout of a live CSV stream (serial), where the first line seen may be noise or half a
/// line. A header (every field a name, none a number) may arrive at any time (a board that reboots prints it again) and replaces the
/// layout if it names as many value columns as the model takes; a header-like line that does not is
/// malformed. A header is confirmed by the next line that parses under it: if that line instead parses
/// as a headerless line of the model's shape, the "header" was noise and is dropped. Nothing fixes the
/// layout for good on one bad line.
/// </summary>
public sealed class LiveCsvLayout
{
    private readonly int _channelCount;
    private readonly string? _timestampColumn;
    private readonly IReadOnlyList<string>? _valueColumns;
    private readonly string _where;
    private readonly CsvLayout? _headerless;
    private readonly string _headerlessError = "";
    private CsvLayout? _current;
    private bool _unconfirmedHeader;

    public LiveCsvLayout(int channelCount, string? timestampColumn, IReadOnlyList<string>? valueColumns, string where)
    {
        _channelCount = channelCount;
        _timestampColumn = timestampColumn;
        _valueColumns = valueColumns;
        _where = where;
        try
        {
            _headerless = CsvLayout.Fixed(channelCount, timestampColumn, valueColumns, where);
        }
        catch (FormatException)
        {
            // Columns chosen by name: only a header line can place them.
            _headerless = null;
            _headerlessError = $"no header line yet naming the columns ({Describe()}); waiting for one";
        }

        _current = _headerless;
    }

    public enum LineKind
    {
        Sample,
        Header,
        Malformed,
    }

    /// <summary>Classifies one line: a sample (values has the model's count), a header (layout updated) or malformed (error says why).</summary>
    public LineKind Parse(string line, out string? timestamp, out double[] values, out string error)
    {
        // A data line first: a date timestamp makes a data line look like a header.
        string dataError = _headerlessError;
        if (_current is not null)
        {
            if (TryParse(_current, line, out timestamp, out values, out error))
            {
                _unconfirmedHeader = false;
                return LineKind.Sample;
            }

            dataError = error;
        }

        if (IsAllNames(line))
        {
            CsvLayout? header = null;
            try
            {
                header = CsvLayout.FromHeader(line, _timestampColumn, _valueColumns, _where);
            }
            catch (FormatException)
            {
                // not a usable header: reported below as a malformed line
            }

            if (header is not null && header.ValueIndices.Length == _channelCount)
            {
                _current = header;
                _unconfirmedHeader = true;
                timestamp = null;
                values = Array.Empty<double>();
                error = "";
                return LineKind.Header;
            }
        }

        if (_unconfirmedHeader && _headerless is not null && TryParse(_headerless, line, out timestamp, out values, out _))
        {
            // The "header" was noise that happened to look like one.
            _current = _headerless;
            _unconfirmedHeader = false;
            error = "";
            return LineKind.Sample;
        }

        timestamp = null;
        values = Array.Empty<double>();
        error = dataError;
        return LineKind.Malformed;
    }

    /// <summary>A header names every column: no field is a number ("abc,1" is a bad data line, not a header).</summary>
    private static bool IsAllNames(string line)
    {
        foreach (string field in line.Split(','))
        {
            string text = field.Trim().Trim('"');
            if (text.Length == 0 || double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) return false;
        }

        return true;
    }

    private bool TryParse(CsvLayout layout, string line, out string? timestamp, out double[] values, out string error)
    {
        if (!layout.TryParse(line, out timestamp, out values, out error)) return false;
        if (values.Length == _channelCount) return true;
        error = $"{values.Length} values, the model takes {_channelCount}";
        return false;
    }

    private string Describe()
    {
        var names = new List<string>();
        if (!string.IsNullOrEmpty(_timestampColumn)) names.Add("timestamp '" + _timestampColumn + "'");
        if (_valueColumns is { Count: > 0 }) names.Add("values '" + string.Join(",", _valueColumns) + "'");
        return string.Join(", ", names);
    }
}
