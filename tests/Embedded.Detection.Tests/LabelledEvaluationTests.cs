using System.Globalization;
using Embedded.Cli.Commands;
using Embedded.Evaluation.Labelled;
using Embedded.Evaluation.Nab;
using Embedded.Tests.Common;

namespace Embedded.Detection.Tests;

/// <summary>`evaluate` on labelled CSVs, against cases computed by hand.</summary>
[Collection(ConsoleCollection.Name)]
public class LabelledEvaluationTests
{
    private static bool[] Bits(string text) => text.Where(c => c is '0' or '1').Select(c => c == '1').ToArray();

    private static bool[] On(int rows, params (int From, int To)[] runs)
    {
        var bits = new bool[rows];
        foreach (var (from, to) in runs) for (int i = from; i <= to; i++) bits[i] = true;
        return bits;
    }

    private static DateTime?[] Seconds(int rows) => Enumerable.Range(0, rows).Select(i => (DateTime?)new DateTime(2020, 3, 9, 10, 0, 0).AddSeconds(i)).ToArray();

    [Fact]
    public void ConfusionCountsRatesAndDelay()
    {
        var truth = Bits("0 0 1 1 1 0 0 1 1 0");
        var predicted = Bits("0 1 0 1 1 1 0 0 0 0");
        var counts = ConfusionCounts.Count(truth, predicted, firstRow: 0);
        Assert.Equal(new ConfusionCounts(TruePositives: 2, FalsePositives: 2, TrueNegatives: 3, FalseNegatives: 3), counts);
        Assert.Equal(0.5, counts.Precision);
        Assert.Equal(0.4, counts.Recall);
        Assert.Equal(2 / 4.5, counts.F1!.Value, 12);
        Assert.Equal(0.4, counts.FalseAlarmRate);
        Assert.Equal(0.6, counts.MissedAlarmRate);

        // Episodes rows 2-4 (flagged at 3: delay 1) and 7-8 (never flagged).
        var delay = DetectionDelay.Measure(truth, predicted, firstRow: 0);
        Assert.Equal(new DetectionDelay(Episodes: 2, Detected: 1, TotalDelayRows: 1), delay);
        Assert.Equal(1.0, delay.MeanDelayRows);
        Assert.Equal(1, delay.Missed);

        // From row 3 on the first episode starts at 3 and is flagged at once.
        Assert.Equal(new ConfusionCounts(2, 1, 2, 2), ConfusionCounts.Count(truth, predicted, firstRow: 3));
        Assert.Equal(new DetectionDelay(2, 1, 0), DetectionDelay.Measure(truth, predicted, firstRow: 3));
    }

    [Fact]
    public void SkabScaleRunsFromTruePositiveWeightToMinusFalsePositiveWeight()
    {
        var standard = NabProfile.Standard;
        Assert.Equal(1.0, ChangepointScorer.TanhScale(0, 0, 60, standard), 12);
        Assert.Equal(-0.11, ChangepointScorer.TanhScale(60, 0, 60, standard), 12);
        Assert.Equal(0.9178078849107046, ChangepointScorer.TanhScale(10, 0, 60, standard), 12); // grid index 166
        Assert.Equal(-0.0012911988163768623, ChangepointScorer.TanhScale(8, 0, 10, standard), 12); // grid index 800
    }

    /// <summary>
    /// 200 rows at 1 Hz; true changepoints at rows 20, 100, 150. The state is on at 20-24 (changes at 20 and 25),
    /// 60-61 (changes at 60 and 62) and 108-109 (changes at 108 and 110). So: window 1 found at its first row
    /// (the change at 25 inside it counts nothing), two false positives, window 2 found late (the change at 110
    /// is on its inclusive end and counts nothing), window 3 missed.
    /// </summary>
    private static LabelledFile ChangepointCase()
    {
        const int rows = 200;
        var changepoints = new bool[rows];
        changepoints[20] = changepoints[100] = changepoints[150] = true;
        return new LabelledFile("cp.csv", Seconds(rows), new bool[rows], changepoints, On(rows, (20, 24), (60, 61), (108, 109)));
    }

    [Fact]
    public void ChangepointsOnSkabScale()
    {
        var protocol = LabelledProtocol.Skab with { FirstScoredRow = 0, Window = ChangepointWindowWidth.OfDuration(TimeSpan.FromSeconds(10)) };
        var standard = ChangepointScorer.Score(ChangepointCase(), protocol, NabProfile.Standard);
        double late = -0.0012911988163768623; // 8 s into a 10 s window: grid index 800
        Assert.Equal((3, 2, 2), (standard.Windows, standard.DetectedWindows, standard.FalsePositiveRows));
        Assert.Equal(1 + late - 2 * 0.11 - 1, standard.Raw, 12);
        Assert.Equal(100 * (1 + late - 0.22 - 1 + 3) / 6, standard.Normalized!.Value, 9);

        var lowFn = ChangepointScorer.Score(ChangepointCase(), protocol, NabProfile.RewardLowFalseNegatives);
        Assert.Equal(100 * (1 + late - 0.22 - 2 + 6) / 9, lowFn.Normalized!.Value, 9);
    }

    [Fact]
    public void ChangepointsOnNabScaleWithRowWindows()
    {
        var protocol = LabelledProtocol.Default with { Window = ChangepointWindowWidth.OfRows(10) };
        var standard = ChangepointScorer.Score(ChangepointCase(), protocol, NabProfile.Standard);
        // Windows are rows 20-30, 100-110, 150-160 (11 rows). Row 20: sigma(-1)/sigma(-1) = 1; row 108: sigma(-3/11)/sigma(-1);
        // row 60 lies 3 widths-1 past window 1 (sigma(3.0) = -0.99999939), row 62 beyond 3 (-1); window 3 costs -1.
        double expected = 1 + 0.6007414793258863 + 0.11 * -0.9999993881955461 - 0.11 - 1;
        Assert.Equal((3, 2, 2), (standard.Windows, standard.DetectedWindows, standard.FalsePositiveRows));
        Assert.Equal(expected, standard.Raw, 9);
    }

    [Fact]
    public void AStateAlreadyOnAtTheFirstScoredRowIsAChangepoint()
    {
        var file = new LabelledFile("f", Seconds(6), new bool[6], new bool[6], Bits("1 1 1 1 0 0"));
        Assert.Equal(Bits("0 0 0 1 1 0"), file.PredictedChangepoints(3));
        Assert.Equal(Bits("1 0 0 0 1 0"), file.PredictedChangepoints(0));
    }

    /// <summary>
    /// A SKAB-like file (`;`, 1 Hz, 460 rows): anomaly rows 390-419, changepoints at 390 (in the training
    /// rows, not scored) and 430. The detector's state (with an alarm column after it) is on at 300-309 (training
    /// rows, ignored) and 405-439. From row 400: TP 405-419 = 15, FN 400-404 = 5, FP 420-439 = 20, TN 20.
    /// Changepoints: the change at 405 precedes the only window [430 s, 490 s] (a false positive); the change
    /// at 440 is 10 s in (grid index 166).
    /// </summary>
    [Fact]
    public void SkabPresetScoresFromRow400WithSixtySecondWindows()
    {
        string dir = TestPaths.NewTempDir();
        string data = Path.Combine(dir, "data");
        string scores = Path.Combine(dir, "scores");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(scores);
        var start = new DateTime(2020, 3, 9, 10, 0, 0);
        var dataLines = new List<string> { "datetime;Current;anomaly;changepoint" };
        var scoreLines = new List<string> { "timestamp,Current,Current_prediction,anomaly_score,is_anomaly,alarm" };
        for (int i = 0; i < 460; i++)
        {
            string time = start.AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            int anomaly = i is >= 390 and <= 419 ? 1 : 0;
            int changepoint = i is 390 or 430 ? 1 : 0;
            int state = i is (>= 300 and <= 309) or (>= 405 and <= 439) ? 1 : 0;
            dataLines.Add($"{time};1.5;{anomaly}.0;{changepoint}.0");
            scoreLines.Add($"{time},1.5,1.5,{state}.5,{state},{(i is 300 or 405 ? 1 : 0)}");
        }
        File.WriteAllLines(Path.Combine(data, "1.csv"), dataLines);
        File.WriteAllLines(Path.Combine(scores, "1.csv"), scoreLines);

        var file = LabelledCorpus.Load("1.csv", Path.Combine(data, "1.csv"), Path.Combine(scores, "1.csv"), LabelledProtocol.Skab);
        var result = LabelledEvaluator.Evaluate(file, LabelledProtocol.Skab);
        Assert.Equal(60, result.ScoredRows);
        Assert.Equal(new ConfusionCounts(TruePositives: 15, FalsePositives: 20, TrueNegatives: 20, FalseNegatives: 5), result.Counts);
        Assert.Equal(15 / 27.5, result.Counts.F1!.Value, 12);
        Assert.Equal(new DetectionDelay(1, 1, 5), result.Delay);
        var standard = result.Changepoints[0];
        Assert.Equal((1, 1, 1), (standard.Windows, standard.DetectedWindows, standard.FalsePositiveRows));
        Assert.Equal(100 * (0.9178078849107046 - 0.11 + 1) / 2, standard.Normalized!.Value, 9);

        string markdown = Path.Combine(dir, "skab.md");
        var (exit, output, errors) = CsvFormatsTests.Run(EvaluateCommand.Create(), ["--preset", "skab", "--data", data, "--scores", scores, "--markdown", markdown]);
        Assert.True(exit == 0, errors);
        Assert.Contains("rows from 400 on", output);
        Assert.Matches(@"all files\s+60\s+15\s+20\s+5\s+20\s", output);
        Assert.Contains("| **all files** |", File.ReadAllText(markdown));
    }

    [Fact]
    public void PooledTotalsSumCountsBeforeTakingRatios()
    {
        var a = LabelledEvaluator.Evaluate(new LabelledFile("a", Seconds(4), Bits("1 1 0 0"), new bool[4], Bits("1 0 0 0")), LabelledProtocol.Default);
        var b = LabelledEvaluator.Evaluate(new LabelledFile("b", Seconds(4), Bits("0 0 0 1"), new bool[4], Bits("1 1 0 1")), LabelledProtocol.Default);
        var total = LabelledEvaluator.Total([a, b]);
        Assert.Equal(new ConfusionCounts(2, 2, 3, 1), total.Counts);
        Assert.Equal(2 / 3.5, total.Counts.F1!.Value, 12);
    }

    [Fact]
    public void EpisodesAlarmedCountTheEpisodesWithAnAlarmInsideThem()
    {
        // Episodes at rows 1..3 and 6..7; the state catches both, one alarm falls in the first, one after the second.
        var anomaly = Bits("0 1 1 1 0 0 1 1 0 0");
        var state = Bits("0 0 1 1 1 0 0 1 1 0");
        var withAlarms = LabelledEvaluator.Evaluate(new LabelledFile("a", Seconds(10), anomaly, new bool[10], state, Bits("0 0 1 0 0 0 0 0 1 0")), LabelledProtocol.Default);
        Assert.Equal(new DetectionDelay(2, 2, 2), withAlarms.Delay);
        Assert.Equal(new DetectionDelay(2, 1, 1), withAlarms.Alarmed);
        var without = LabelledEvaluator.Evaluate(new LabelledFile("b", Seconds(10), anomaly, new bool[10], state), LabelledProtocol.Default);
        Assert.Null(without.Alarmed);
        var total = LabelledEvaluator.Total([withAlarms, without]);
        Assert.Equal(new DetectionDelay(2, 1, 1), total.Alarmed);   // files without alarms add nothing
        string text = LabelledReport.ToText([withAlarms, without], total, LabelledProtocol.Default);
        Assert.Contains("episodes alarmed", text);
        string[] cells(string name) => text.Split('\n').First(l => l.StartsWith(name + " ")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1/2", cells("a")[13]);   // the column after "mean delay (rows)"
        Assert.Equal("n/a", cells("b")[13]);
    }

    [Fact]
    public void FilesInSeveralFoldersGetAPooledRowPerFolder()
    {
        var a = LabelledEvaluator.Evaluate(new LabelledFile("level/1.csv", Seconds(4), Bits("1 1 0 0"), new bool[4], Bits("1 0 0 0")), LabelledProtocol.Default);
        var b = LabelledEvaluator.Evaluate(new LabelledFile("level/2.csv", Seconds(4), Bits("0 0 0 1"), new bool[4], Bits("1 1 0 1")), LabelledProtocol.Default);
        var c = LabelledEvaluator.Evaluate(new LabelledFile("stuck/1.csv", Seconds(4), Bits("0 1 1 0"), new bool[4], Bits("0 0 0 0")), LabelledProtocol.Default);
        var folders = LabelledReport.FolderTotals([a, b, c]);
        Assert.Equal(["level/ (all)", "stuck/ (all)"], folders.Select(f => f.Name));
        Assert.Equal(LabelledEvaluator.Total([a, b]).Counts, folders[0].Counts);
        Assert.Equal(new DetectionDelay(2, 2, 0), folders[0].Delay);
        Assert.Equal(new DetectionDelay(1, 0, 0), folders[1].Delay);
        string text = LabelledReport.ToText([a, b, c], LabelledEvaluator.Total([a, b, c]), LabelledProtocol.Default);
        Assert.Contains("stuck/ (all)", text);
        Assert.Empty(LabelledReport.FolderTotals([a, b]));   // one folder: the total says it all
    }

    [Fact]
    public void MismatchedScoresFileIsReportedAndTheOthersStillCount()
    {
        string dir = TestPaths.NewTempDir();
        string data = Path.Combine(dir, "data");
        string scores = Path.Combine(dir, "scores");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(scores);
        File.WriteAllLines(Path.Combine(data, "a.csv"), ["timestamp,x,anomaly", "0,1,0", "1,2,1"]);
        File.WriteAllLines(Path.Combine(scores, "a.csv"), ["timestamp,x,x_prediction,anomaly_score,is_anomaly", "0,1,1,0,0", "1,2,1,1,1"]);
        File.WriteAllLines(Path.Combine(data, "b.csv"), ["timestamp,x,anomaly", "0,1,0", "1,2,1"]);
        File.WriteAllLines(Path.Combine(scores, "b.csv"), ["timestamp,x,x_prediction,anomaly_score,is_anomaly", "0,1,1,0,0"]);
        var (exit, output, errors) = CsvFormatsTests.Run(EvaluateCommand.Create(), ["--data", data, "--scores", scores]);
        Assert.Equal(1, exit);
        Assert.Contains("b.csv: 1 rows", errors);
        Assert.Matches(@"a\.csv\s+2\s+1\s+0\s+0\s+1\s", output);
    }

    [Fact]
    public void BadPresetOrWindowIsAUsageError()
    {
        string dir = TestPaths.NewTempDir();
        Assert.Equal(2, CsvFormatsTests.Run(EvaluateCommand.Create(), ["--preset", "ucr", "--data", dir, "--scores", dir]).Exit);
        Assert.Equal(2, CsvFormatsTests.Run(EvaluateCommand.Create(), ["--data", dir, "--scores", dir, "--window", "soon"]).Exit);
    }
}
