using System.Globalization;
using Embedded.Cli.Commands;
using Embedded.Evaluation.Corpus;
using Embedded.Evaluation.Data;
using Embedded.Evaluation.Nab;
using Embedded.Tests.Common;

namespace Embedded.Detection.Tests;

/// <summary>`corpus short` on a tiny synthetic corpus: which files, rows, values and windows it writes, and that evaluate reads them.</summary>
[Collection(ConsoleCollection.Name)]
public class ShortSeriesCorpusTests
{
    private static readonly DateTime Start = new(2024, 1, 1);

    private static string Stamp(int row) => Start.AddMinutes(5 * row).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Window(int first, int last) => $"[\"{Stamp(first)}.000000\", \"{Stamp(last)}.000000\"]";

    private static void WriteSeries(string path, int rows, Func<int, double> value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var lines = new List<string> { "timestamp,value" };
        for (int t = 0; t < rows; t++) lines.Add($"{Stamp(t)},{value(t).ToString("R", CultureInfo.InvariantCulture)}");
        File.WriteAllLines(path, lines);
    }

    /// <summary>
    /// long.csv: 4,100 rows (k = 2), windows at rows 100..150 (its crop, rows 0..649, is too short) and
    /// 2,000..2,100 (crop rows 1,000..2,599, 1,600 rows); short.csv: 1,200 rows, one window at 300..400
    /// (crop rows 0..899: exactly the 900 rows kept; no aggregate); quiet.csv: no windows, nothing written.
    /// </summary>
    private static (string Data, string Windows) MakeCorpus(string dir)
    {
        string data = Path.Combine(dir, "data");
        WriteSeries(Path.Combine(data, "cat", "long.csv"), 4100, t => t * 0.5 + (t % 2 == 0 ? 0.1 : 0));
        WriteSeries(Path.Combine(data, "cat", "short.csv"), 1200, t => t);
        WriteSeries(Path.Combine(data, "other", "quiet.csv"), 5000, t => 1);
        string windows = Path.Combine(data, "windows.json");
        File.WriteAllText(windows, $$"""
            {
              "cat/long.csv": [{{Window(100, 150)}}, {{Window(2000, 2100)}}],
              "cat/short.csv": [{{Window(300, 400)}}],
              "other/quiet.csv": []
            }
            """);
        return (data, windows);
    }

    [Fact]
    public void WritesAggregatesAndCropsWithTheirWindows()
    {
        string dir = TestPaths.NewTempDir();
        var (data, windows) = MakeCorpus(dir);
        string output = Path.Combine(dir, "short");

        var files = ShortSeriesCorpus.Build(data, windows, output);

        Assert.Equal(["cat/agg2_long.csv", "cat/crop1_long.csv", "cat/crop0_short.csv"], files.Select(f => f.Name));
        Assert.Equal([2050, 1600, 900], files.Select(f => f.Rows));
        Assert.False(File.Exists(Path.Combine(output, "cat", "crop0_long.csv")));
        Assert.False(Directory.Exists(Path.Combine(output, "other")));

        // The aggregate: the mean of rows 2b and 2b + 1 at row 2b's timestamp.
        var agg = TimeSeriesCsv.Read(Path.Combine(output, "cat", "agg2_long.csv"));
        Assert.Equal(Stamp(10), agg.TimestampText[5]);
        Assert.Equal((10 * 0.5 + 0.1 + 11 * 0.5) / 2, agg.Values[5][0]);
        // The crop: rows 1,000 .. 2,599 as they were.
        var crop = TimeSeriesCsv.Read(Path.Combine(output, "cat", "crop1_long.csv"));
        Assert.Equal(Stamp(1000), crop.TimestampText[0]);
        Assert.Equal(Stamp(2599), crop.TimestampText[^1]);
        Assert.Equal(1000 * 0.5 + 0.1, crop.Values[0][0]);

        var written = NabCorpus.ReadWindows(Path.Combine(output, "windows.json"));
        Assert.Equal(["cat/agg2_long.csv", "cat/crop0_short.csv", "cat/crop1_long.csv"], written.Keys);
        Assert.Equal(2, written["cat/agg2_long.csv"].Count); // all of the file's windows
        Assert.Equal([(Start.AddMinutes(5 * 2000), Start.AddMinutes(5 * 2100))], written["cat/crop1_long.csv"]); // the first window is outside the crop
        Assert.Single(written["cat/crop0_short.csv"]);
        // Each window maps onto rows of its file, as evaluate does it.
        var rows = NabTimestamps.ToRows(crop.Times.Select(t => t!.Value).ToArray(), written["cat/crop1_long.csv"][0].Start, written["cat/crop1_long.csv"][0].End);
        Assert.Equal(new AnomalyWindow(1000, 1100), rows);
    }

    [Fact]
    public void WithSourceTheShortFilesJoinACopyOfTheSourceCorpus()
    {
        string dir = TestPaths.NewTempDir();
        var (data, windows) = MakeCorpus(dir);
        string output = Path.Combine(dir, "one");

        var files = ShortSeriesCorpus.Build(data, windows, output, ShortSeriesRecipe.Default with { WithSource = true });

        Assert.Equal(["short-cat/agg2_long.csv", "short-cat/crop1_long.csv", "short-cat/crop0_short.csv"], files.Select(f => f.Name));
        // Every source file, windowless ones too, byte for byte under its own name.
        foreach (string name in new[] { "cat/long.csv", "cat/short.csv", "other/quiet.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(data, name)), File.ReadAllBytes(Path.Combine(output, name)));
        var written = NabCorpus.ReadWindows(Path.Combine(output, "windows.json"));
        Assert.Equal(["cat/long.csv", "cat/short.csv", "other/quiet.csv", "short-cat/agg2_long.csv", "short-cat/crop0_short.csv", "short-cat/crop1_long.csv"], written.Keys.Order());
        Assert.Equal(2, written["cat/long.csv"].Count);
        Assert.Empty(written["other/quiet.csv"]);
    }

    [Fact]
    public void CommandWritesTheCorpusAndNamesAMissingWindowsFile()
    {
        string dir = TestPaths.NewTempDir();
        var (data, _) = MakeCorpus(dir);
        string output = Path.Combine(dir, "short");
        var saved = (Console.Out, Console.Error);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int ok, missing, sameFolder;
        try
        {
            ok = CliInvoker.Invoke(new System.CommandLine.RootCommand { CorpusCommand.Create() }, ["corpus", "short", "--data", data, "--out", output]);
            missing = CliInvoker.Invoke(new System.CommandLine.RootCommand { CorpusCommand.Create() },
                ["corpus", "short", "--data", data, "--windows", Path.Combine(dir, "nope.json"), "--out", output]);
            sameFolder = CliInvoker.Invoke(new System.CommandLine.RootCommand { CorpusCommand.Create() }, ["corpus", "short", "--data", data, "--out", data]);
        }
        finally
        {
            Console.SetOut(saved.Out);
            Console.SetError(saved.Error);
        }
        Assert.Equal(0, ok);
        Assert.Contains("3 files, 900–2050 rows", stdout.ToString());
        Assert.True(File.Exists(Path.Combine(output, "windows.json")));
        Assert.Equal(1, missing);
        Assert.Equal(2, sameFolder);
        var errors = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.Contains("nope.json", errors[0]);
        Assert.Contains("--out", errors[1]);
    }
}
