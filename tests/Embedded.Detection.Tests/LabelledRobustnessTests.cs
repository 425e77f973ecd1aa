using System.Globalization;
using System.Text;
using Embedded.Evaluation.Detection;
using Embedded.Evaluation.Labelled;
using Embedded.Evaluation.Nab;
using Embedded.Tests.Common;
using Embedded.Trainer.Detection;
using Xunit;

namespace Embedded.Detection.Tests;

public class LabelledRobustnessTests
{
    /// <summary>A 1 Hz two-channel pump-like file: noise around a level, then a labelled drop of the second channel.</summary>
    private static void WriteFile(string path, int seed, int rows, int start, int end)
    {
        var random = new Random(seed);
        var text = new StringBuilder("datetime;pressure;flow;anomaly;changepoint\n");
        var t0 = new DateTime(2020, 3, 9, 10, 0, 0);
        for (int t = 0; t < rows; t++)
        {
            bool abnormal = t >= start && t < end;
            double pressure = 1.0 + 0.05 * random.NextDouble() + 0.1 * Math.Sin(t / 7.0);
            double flow = 32 + 0.4 * (random.NextDouble() - 0.5) - (abnormal ? 3 : 0);
            int changepoint = t == start || t == end ? 1 : 0;
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{t0.AddSeconds(t):yyyy-MM-dd HH:mm:ss};{pressure:R};{flow:R};{(abnormal ? 1 : 0)};{changepoint}\n"));
        }
        File.WriteAllText(path, text.ToString());
    }

    [Fact]
    public void EachFileIsScoredByTheVariantPickedWithoutIt()
    {
        string dir = TestPaths.NewTempDir();
        WriteFile(Path.Combine(dir, "a.csv"), 1, 700, 500, 620);
        WriteFile(Path.Combine(dir, "b.csv"), 2, 700, 520, 640);
        WriteFile(Path.Combine(dir, "c.csv"), 3, 700, 480, 600);
        var protocol = LabelledProtocol.Skab;
        var training = ForecastTrainingOptions.Default with { Epochs = 8 };
        var prepared = LabelledRobustness.Prepare(dir, protocol, training, null);
        Assert.Equal(["a.csv", "b.csv", "c.csv"], prepared.Select(p => p.Name));

        var d = DetectorCalibrationOptions.Default;
        // A variant that can never enter the state (threshold of 60 decades) loses on F1 wherever the drop is found.
        var grid = new List<NabRobustness.Variant> { new("never", d with { MinimumThresholdDecades = 60 }), new("defaults", d) };
        var results = grid.Select(v => LabelledRobustness.Score(prepared, v, protocol)).ToList();
        Assert.All(results, r => Assert.Equal(3 * 300, r.Total.ScoredRows));
        Assert.Equal(0, results[0].Total.Counts.TruePositives + results[0].Total.Counts.FalsePositives);
        Assert.True(results[1].Total.Counts.TruePositives > 0, "the defaults find the labelled drops");

        // Any false-alarm rate accepted: this is about the pick and the scoring (the preference for variants
        // within the accepted rate has its own test below). The state lags the drop's end by about a state
        // hold, and 300 scored rows make that lag a large share of the few normal rows after it.
        var held = LabelledRobustness.LeaveOneFileOut(results, maxFalseAlarmRate: 1.0);
        Assert.Equal(["a.csv", "b.csv", "c.csv"], held.Select(h => h.LeftOut));
        Assert.All(held, h => Assert.Equal("defaults", h.Pick.Name));
        // The left-out file is scored with the pick: its result is that variant's result for the file.
        for (int i = 0; i < held.Count; i++) Assert.Equal(results[1].Files[i].Counts, held[i].LeftOutResult.Counts);
    }

    [Fact]
    public void LeaveOneFileOutPrefersTheBestF1AmongVariantsWithinTheAcceptedFalseAlarmRate()
    {
        // Per file (TP, FP, TN, FN). "loud" finds every episode: the best F1 on every subset (0.91), at a FAR
        // of 20 %. "quiet" finds most of each episode (F1 0.84) at a FAR of 10 %; "deaf" finds nothing.
        LabelledResult File(string name, long tp, long fp, long tn, long fn) =>
            LabelledResult.Empty(name) with { ScoredRows = (int)(tp + fp + tn + fn), Counts = new ConfusionCounts(tp, fp, tn, fn) };
        NabRobustness.Variant Variant(string name) => new(name, DetectorCalibrationOptions.Default);
        LabelledRobustness.VariantResult Result(string name, params LabelledResult[] files) =>
            new(Variant(name), files, LabelledEvaluator.Total(files));
        var results = new List<LabelledRobustness.VariantResult>
        {
            Result("deaf", File("a", 0, 0, 100, 100), File("b", 0, 0, 100, 100), File("c", 0, 0, 100, 100)),
            Result("loud", File("a", 100, 20, 80, 0), File("b", 100, 20, 80, 0), File("c", 100, 20, 80, 0)),
            Result("quiet", File("a", 80, 10, 90, 20), File("b", 80, 10, 90, 20), File("c", 80, 10, 90, 20)),
        };

        var held = LabelledRobustness.LeaveOneFileOut(results);
        Assert.All(held, h => Assert.Equal("quiet", h.Pick.Name));
        // Accepting any false-alarm rate picks the loudest variant, as a pick by F1 alone would.
        Assert.All(LabelledRobustness.LeaveOneFileOut(results, maxFalseAlarmRate: 1.0), h => Assert.Equal("loud", h.Pick.Name));
        // When no variant is within the rate, the best F1 is picked anyway.
        Assert.All(LabelledRobustness.LeaveOneFileOut(results.Skip(1).Take(1).ToList()), h => Assert.Equal("loud", h.Pick.Name));
    }
}

