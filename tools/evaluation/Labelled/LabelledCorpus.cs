using Embedded.Csv;
using Embedded.Evaluation.Data;

namespace Embedded.Evaluation.Labelled;

/// <summary>
/// Pairs labelled data CSVs with the scores `detect` wrote for them: a file with a file, or every CSV
/// under a data folder with the file of the same relative name under the scores folder.
/// </summary>
public static class LabelledCorpus
{
    /// <summary>The (name, data path, scores path) pairs; names are relative to the data folder.</summary>
    public static List<(string Name, string DataPath, string ScoresPath)> Pair(string dataPath, string scoresPath)
    {
        if (File.Exists(dataPath))
        {
            string scores = Directory.Exists(scoresPath) ? Path.Combine(scoresPath, Path.GetFileName(dataPath)) : scoresPath;
            return [(Path.GetFileName(dataPath), dataPath, scores)];
        }
        if (!Directory.Exists(dataPath)) throw new FileNotFoundException($"{dataPath}: no such file or folder", dataPath);
        if (!Directory.Exists(scoresPath)) throw new ArgumentException($"--scores {scoresPath}: with a data folder, give the folder detect wrote");
        var files = Directory.GetFiles(dataPath, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new ArgumentException($"{dataPath}: no CSV files");
        return files.Select(f => (Path.GetRelativePath(dataPath, f), f, Path.Combine(scoresPath, Path.GetRelativePath(dataPath, f)))).ToList();
    }

    /// <summary>Reads one pair, checking the scores file has one row per data row with the same timestamps.</summary>
    public static LabelledFile Load(string name, string dataPath, string scoresPath, LabelledProtocol protocol, char? delimiter = null)
    {
        bool defaultNames = LabelColumns.IsDefaultLabel(protocol.AnomalyColumn) && LabelColumns.IsDefaultLabel(protocol.ChangepointColumn);
        var series = TimeSeriesCsv.Read(dataPath, new CsvReadOptions
        {
            Delimiter = delimiter,
            Labels = defaultNames ? null : [protocol.AnomalyColumn, protocol.ChangepointColumn],
        });
        if (!series.Labels.TryGetValue(protocol.AnomalyColumn, out var anomaly))
            throw new FormatException($"{dataPath}: line 1: no label column '{protocol.AnomalyColumn}' (give --anomaly-column)");
        var changepoint = series.Labels.TryGetValue(protocol.ChangepointColumn, out var c) ? c : new double[series.RowCount];
        var (stamps, states, alarms) = DetectorStates.Read(scoresPath);
        if (stamps.Length != series.RowCount)
            throw new FormatException($"{scoresPath}: {stamps.Length} rows, but {dataPath} has {series.RowCount}; score the file with detect again");
        for (int i = 0; i < stamps.Length; i++)
            if (!string.Equals(stamps[i], series.TimestampText[i], StringComparison.Ordinal))
                throw new FormatException($"{scoresPath}: row {i + 1}: timestamp '{stamps[i]}', but {dataPath} has '{series.TimestampText[i]}' there");
        return new LabelledFile(name, series.Times, anomaly.Select(v => v == 1).ToArray(), changepoint.Select(v => v == 1).ToArray(), states, alarms);
    }
}
