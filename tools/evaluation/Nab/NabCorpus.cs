using System.Globalization;
using System.Text.Json;

namespace Embedded.Evaluation.Nab;

/// <summary>
/// Loads a NAB corpus for scoring: windows.json (file name to [[start, end], ...] timestamps) and, for
/// every file it names, the detector's score CSV (a column "anomaly_score", plus "timestamp") found
/// under the scores folder by the same relative name.
/// </summary>
public static class NabCorpus
{
    /// <summary>Reads windows.json: relative file name to its windows as timestamp pairs.</summary>
    public static SortedDictionary<string, List<(DateTime Start, DateTime End)>> ReadWindows(string path)
    {
        using var stream = File.OpenRead(path);
        JsonDocument document;
        try { document = JsonDocument.Parse(stream); }
        catch (JsonException e) { throw new FormatException($"{path}: not valid JSON: {e.Message}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException($"{path}: expected an object mapping file names to window lists");
            var result = new SortedDictionary<string, List<(DateTime, DateTime)>>(StringComparer.Ordinal);
            foreach (var file in document.RootElement.EnumerateObject())
            {
                var windows = new List<(DateTime, DateTime)>();
                if (file.Value.ValueKind != JsonValueKind.Array) throw new FormatException($"{path}: '{file.Name}' must map to a list of [start, end] pairs");
                int index = 0;
                foreach (var pair in file.Value.EnumerateArray())
                {
                    string where = $"{path}: '{file.Name}' window {index}";
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2) throw new FormatException($"{where} must be a [start, end] pair");
                    var start = NabTimestamps.Parse(pair[0].GetString() ?? "", where);
                    var end = NabTimestamps.Parse(pair[1].GetString() ?? "", where);
                    if (end < start) throw new FormatException($"{where} ends before it starts");
                    windows.Add((start, end));
                    index++;
                }
                result[file.Name] = windows;
            }
            return result;
        }
    }

    /// <summary>Reads a score CSV: timestamps and anomaly scores per row, checking every value.</summary>
    public static (DateTime[] Timestamps, double[] Scores) ReadScores(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new FormatException($"{path}: empty file (expected a header with timestamp and anomaly_score)");
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        int timeColumn = Array.IndexOf(header, "timestamp");
        int scoreColumn = Array.IndexOf(header, "anomaly_score");
        if (timeColumn < 0 || scoreColumn < 0) throw new FormatException($"{path}: line 1: header must name 'timestamp' and 'anomaly_score' columns");
        var times = new List<DateTime>();
        var scores = new List<double>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var fields = lines[i].Split(',');
            string where = $"{path}: line {i + 1}";
            if (fields.Length != header.Length) throw new FormatException($"{where}: {fields.Length} fields, header has {header.Length}");
            times.Add(NabTimestamps.Parse(fields[timeColumn], where + ", field timestamp"));
            if (!double.TryParse(fields[scoreColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out double score) || double.IsNaN(score))
                throw new FormatException($"{where}, field anomaly_score: '{fields[scoreColumn]}' is not a number");
            scores.Add(score);
        }
        return (times.ToArray(), scores.ToArray());
    }

    /// <summary>Builds the scorable files: each windows.json entry with its score CSV under <paramref name="scoresDir"/>.</summary>
    public static List<NabFile> Load(string windowsPath, string scoresDir)
    {
        var files = new List<NabFile>();
        foreach (var (name, windows) in ReadWindows(windowsPath))
        {
            string scorePath = Path.Combine(scoresDir, name);
            if (!File.Exists(scorePath)) throw new FileNotFoundException($"{scoresDir}: no score file for '{name}' (expected {scorePath})", scorePath);
            var (times, scores) = ReadScores(scorePath);
            var rows = new List<AnomalyWindow>();
            foreach (var (start, end) in windows)
                if (NabTimestamps.ToRows(times, start, end) is AnomalyWindow window) rows.Add(window);
            files.Add(new NabFile(name, scores, rows));
        }
        return files;
    }

    /// <summary>Checks each score file has one row per row of its data file under <paramref name="dataDir"/> (when that file exists).</summary>
    public static void CheckRowCounts(IEnumerable<NabFile> files, string dataDir)
    {
        foreach (var file in files)
        {
            string path = Path.Combine(dataDir, file.Name);
            if (!File.Exists(path)) continue;
            int rows = File.ReadLines(path).Skip(1).Count(line => line.Trim().Length > 0);
            if (rows != file.RowCount) throw new FormatException($"{file.Name}: the score file has {file.RowCount} rows but {path} has {rows}");
        }
    }
}
