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

        var held = LabelledRobustness.LeaveOneFileOut(results);
        Assert.Equal(["a.csv", "b.csv", "c.csv"], held.Select(h => h.LeftOut));
        Assert.All(held, h => Assert.Equal("defaults", h.Pick.Name));
        // The left-out file is scored with the pick: its result is that variant's result for the file.
        for (int i = 0; i < held.Count; i++) Assert.Equal(results[1].Files[i].Counts, held[i].LeftOutResult.Counts);
    }
}
