using Embedded.Csv;
using Embedded.Evaluation.Data;

namespace Embedded.Evaluation.Labelled;

/// <summary>
/// Reads what `detect` wrote: header <c>timestamp,...,anomaly_score,is_anomaly</c> with an optional
/// <c>alarm</c> column (or any others) after it; the timestamp text, the 0/1 state and, when there, the 0/1
/// alarms are kept.
/// </summary>
public static class DetectorStates
{
    public static (string[] Timestamps, bool[] IsAnomaly, bool[]? Alarms) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such scores file", path);
        using var reader = new StreamReader(path);
        string? headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new FormatException($"{path}: line 1: missing header row");
        char delimiter = CsvDelimiter.Detect(headerLine);
        var header = CsvFields.Split(headerLine, delimiter, path, 1).Select(h => h.Trim()).ToArray();
        int time = Array.FindIndex(header, h => h.Equals("timestamp", StringComparison.OrdinalIgnoreCase));
        int state = Array.FindIndex(header, h => h.Equals("is_anomaly", StringComparison.OrdinalIgnoreCase));
        int alarm = Array.FindIndex(header, h => h.Equals("alarm", StringComparison.OrdinalIgnoreCase));
        if (time < 0 || state < 0) throw new FormatException($"{path}: line 1: a scores file needs 'timestamp' and 'is_anomaly' columns (as detect writes them)");
        var stamps = new List<string>();
        var states = new List<bool>();
        var alarms = new List<bool>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var fields = CsvFields.Split(line, delimiter, path, lineNumber);
            if (fields.Length != header.Length) throw new FormatException($"{path}: line {lineNumber}: {fields.Length} fields, the header has {header.Length}");
            stamps.Add(fields[time].Trim());
            states.Add(Bit(fields[state], path, lineNumber, state, "is_anomaly"));
            if (alarm >= 0) alarms.Add(Bit(fields[alarm], path, lineNumber, alarm, "alarm"));
        }
        return (stamps.ToArray(), states.ToArray(), alarm >= 0 ? alarms.ToArray() : null);
    }

    private static bool Bit(string field, string path, int line, int column, string name) => field.Trim() switch
    {
        "1" or "1.0" => true,
        "0" or "0.0" => false,
        var other => throw new FormatException($"{path}: line {line}, column {column + 1} '{name}': '{other}' is not 0 or 1"),
    };
}
