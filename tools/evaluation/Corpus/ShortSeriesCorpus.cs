using System.Globalization;
using Embedded.Csv;
using Embedded.Evaluation.Data;
using Embedded.Evaluation.Nab;

namespace Embedded.Evaluation.Corpus;

/// <summary>
/// Makes a short-series corpus (1,000–2,600 rows per file, the regime of NAB's short files) from a
/// labelled NAB-style corpus: for every file with at least one window,
/// <list type="bullet">
/// <item>when it has at least <see cref="ShortSeriesRecipe.AggregateFromRows"/> rows and k = rows /
/// <see cref="ShortSeriesRecipe.AggregateTargetRows"/> &gt; 1: <c>agg{k}_{name}</c>, the mean of each block of k
/// consecutive rows (blocks from row 0, a trailing partial block dropped) at the timestamp of the block's
/// first row, with all of the file's windows;</item>
/// <item>for each window j: <c>crop{j}_{name}</c>, rows max(0, first row in the window − before) to
/// min(n, last row in the window + after) (exclusive), kept when it has at least
/// <see cref="ShortSeriesRecipe.MinimumRows"/> rows, with the windows that lie entirely between its first
/// and last timestamps.</item>
/// </list>
/// Files keep their folder ("realKnownCause/crop0_nyc_taxi.csv"); values are written with round-trip
/// formatting, timestamps as in the source; a windows.json beside them names every file written.
/// With <see cref="ShortSeriesRecipe.WithSource"/> the source's files (all of windows.json, copied byte for byte)
/// come along under their own names and the short files move to "short-{category}/".
/// </summary>
public static class ShortSeriesCorpus
{
    public static List<ShortSeriesFile> Build(string dataDir, string windowsPath, string outDir, ShortSeriesRecipe? recipe = null)
    {
        recipe ??= ShortSeriesRecipe.Default;
        if (!Directory.Exists(dataDir)) throw new DirectoryNotFoundException($"{dataDir}: no such folder");
        if (!File.Exists(windowsPath)) throw new FileNotFoundException($"{windowsPath}: no such windows file", windowsPath);
        var labelled = NabCorpus.ReadWindows(windowsPath);
        var written = new List<ShortSeriesFile>();
        var outWindows = new List<KeyValuePair<string, List<(DateTime, DateTime)>>>();
        foreach (var (name, windows) in labelled)
        {
            if (recipe.WithSource)
            {
                string target = Path.Combine(outDir, name);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
                File.Copy(Path.Combine(dataDir, name), target, overwrite: true);
                outWindows.Add(new(name, [.. windows]));
            }
            if (windows.Count == 0) continue;
            string source = Path.Combine(dataDir, name);
            var series = TimeSeriesCsv.Read(source);
            int missing = Array.FindIndex(series.Times, t => t is null);
            if (missing >= 0) throw new FormatException($"{source}: row {missing + 1}: timestamp '{series.TimestampText[missing]}' does not parse");
            var times = series.Times.Select(t => t!.Value).ToArray();
            int n = series.RowCount;

            if (n >= recipe.AggregateFromRows && n / recipe.AggregateTargetRows is int k && k > 1)
            {
                string aggName = Renamed(name, $"agg{k}_", recipe.WithSource);
                int blocks = n / k;
                var rows = new List<(string Stamp, double[] Values)>(blocks);
                for (int b = 0; b < blocks; b++)
                {
                    var mean = new double[series.ChannelCount];
                    for (int c = 0; c < mean.Length; c++)
                    {
                        double sum = 0;
                        for (int i = b * k; i < (b + 1) * k; i++) sum += series.Values[i][c];
                        mean[c] = sum / k;
                    }
                    rows.Add((series.TimestampText[b * k], mean));
                }
                WriteCsv(Path.Combine(outDir, aggName), series.ChannelNames, rows);
                outWindows.Add(new(aggName, [.. windows]));
                written.Add(new ShortSeriesFile(aggName, name, blocks, windows.Count));
            }

            for (int j = 0; j < windows.Count; j++)
            {
                if (NabTimestamps.ToRows(times, windows[j].Start, windows[j].End) is not AnomalyWindow rowsOfWindow) continue;
                int from = Math.Max(0, rowsOfWindow.StartRow - recipe.RowsBefore);
                int to = Math.Min(n, rowsOfWindow.EndRow + recipe.RowsAfter);
                if (to - from < recipe.MinimumRows) continue;
                string cropName = Renamed(name, $"crop{j}_", recipe.WithSource);
                var rows = Enumerable.Range(from, to - from).Select(i => (series.TimestampText[i], series.Values[i])).ToList();
                var inside = windows.Where(w => w.Start >= times[from] && w.End <= times[to - 1]).ToList();
                WriteCsv(Path.Combine(outDir, cropName), series.ChannelNames, rows);
                outWindows.Add(new(cropName, inside));
                written.Add(new ShortSeriesFile(cropName, name, to - from, inside.Count));
            }
        }
        WindowsJson.Write(Path.Combine(outDir, "windows.json"), outWindows);
        return written;
    }

    /// <summary>
    /// "realKnownCause/nyc_taxi.csv" with prefix "agg5_" is "realKnownCause/agg5_nyc_taxi.csv" (beside the
    /// source: "short-realKnownCause/agg5_nyc_taxi.csv"; a file without a folder goes to "short/").
    /// </summary>
    private static string Renamed(string name, string prefix, bool besideSource)
    {
        int slash = name.LastIndexOf('/');
        if (besideSource) return slash < 0 ? "short/" + prefix + name : "short-" + name[..(slash + 1)] + prefix + name[(slash + 1)..];
        return slash < 0 ? prefix + name : name[..(slash + 1)] + prefix + name[(slash + 1)..];
    }


    private static void WriteCsv(string path, string[] channels, List<(string Stamp, double[] Values)> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        writer.WriteLine("timestamp," + string.Join(",", channels.Select(f => CsvFields.Quote(f))));
        foreach (var (stamp, values) in rows)
            writer.WriteLine(stamp + "," + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }
}
