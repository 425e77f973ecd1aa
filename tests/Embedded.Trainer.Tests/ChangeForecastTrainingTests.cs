using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Data;
using Embedded.Trainer.Training;

namespace Embedded.Trainer.Tests;

/// <summary>`--forecast change`: the model learns the change from the current value, which starts it at persistence.</summary>
public class ChangeForecastTrainingTests
{
    /// <summary>A random walk with a small drift: persistence is close to the best forecast there is.</summary>
    private static string RandomWalkCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string> { "timestamp,value" };
        double level = 0;
        for (int t = 0; t < rows; t++)
        {
            double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            level += 0.01 + noise;
            lines.Add(FormattableString.Invariant($"{t},{level:F5}"));
        }
        string path = Path.Combine(TestPaths.NewTempDir(), "walk.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static TrainOptions Options(bool change) => new()
    {
        Cell = CellType.Lstm, Hidden = 16, Window = 16, Epochs = 3, Stride = 1, Patience = 0, Seed = 1, LearningRate = 0.01, PredictChange = change,
    };

    [Fact]
    public void On_a_random_walk_that_leaves_the_training_range_the_change_forecaster_stays_near_persistence()
    {
        // 300 rows: the short-series regime; the validation rows wander outside the training rows' range.
        var data = CsvSeries.Load(RandomWalkCsv(300, 3), null, ["value"], "timestamp");
        var change = ModelTrainer.TrainForecast(data, Options(true));
        Assert.True(change.Model.PredictsChange);
        Assert.True(change.Report.ValRmse < 1.1 * change.Report.BaselineRmse,
            $"change forecaster val_rmse {change.Report.ValRmse} vs persistence {change.Report.BaselineRmse}");
    }

    [Fact]
    public void The_mode_survives_a_checkpoint_and_a_mismatched_resume_is_refused()
    {
        var data = CsvSeries.Load(RandomWalkCsv(300, 4), null, ["value"], "timestamp");
        var model = ModelTrainer.TrainForecast(data, Options(true)).Model;
        string path = Path.Combine(TestPaths.NewTempDir(), "m.json");
        FloatModelFile.Save(path, model);
        var loaded = FloatModelFile.Load(path);
        Assert.True(loaded.PredictsChange);
        var task = new ForecastTask(data, Options(false));
        var e = Assert.Throws<ArgumentException>(() => task.CheckCompatible(loaded));
        Assert.Contains("--forecast change", e.Message);
    }

    [Fact]
    public void Targets_that_are_not_the_first_features_are_refused_with_the_option_named()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "two.csv");
        File.WriteAllLines(path, ["a,b", .. Enumerable.Range(0, 200).Select(i => FormattableString.Invariant($"{i},{i % 7}"))]);
        var data = CsvSeries.Load(path, ["a", "b"], ["b"], null);
        var e = Assert.Throws<ArgumentException>(() => new ForecastTask(data, Options(true)));
        Assert.Contains("--forecast change", e.Message);
    }
}

/// <summary>`--forecast auto`: changes only for the targets whose value forecast loses to persistence on the validation rows.</summary>
public class ForecastModeSelectionTests
{
    /// <summary>A noisy level (the value forecast holds it) beside a slow ramp that leaves the training rows' range.</summary>
    private static string LevelAndRampCsv(int rows, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var lines = new List<string> { "level,ramp" };
        for (int t = 0; t < rows; t++) lines.Add(FormattableString.Invariant($"{5 + Gaussian():F5},{0.05 * t + 0.02 * Gaussian():F5}"));
        string path = Path.Combine(TestPaths.NewTempDir(), "level-ramp.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void The_drifting_channel_becomes_a_change_and_the_noisy_level_stays_a_value()
    {
        var data = CsvSeries.Load(LevelAndRampCsv(400, 5), null, null, null);
        TrainOptions Options(bool[] change) => new()
        {
            Cell = CellType.Lstm, Hidden = 8, Window = 16, Epochs = 6, Patience = 0, Seed = 1, LearningRate = 0.01, ChangeTargets = change,
        };
        var value = ModelTrainer.TrainForecast(data, Options([]));
        var advantage = value.Report.PersistenceAdvantage!;
        Assert.True(advantage[0] < 0, $"persistence should lose on the noisy level (advantage {advantage[0]:F2})");
        Assert.True(advantage[1] > ForecastModeSelection.SignificantAdvantage, $"persistence should win on the ramp (advantage {advantage[1]:F2})");
        Assert.Equal([false, true], ForecastModeSelection.ChangeWhereValueLoses(value.Report, data));

        var auto = ForecastModeSelection.Train(data, Options);
        Assert.Equal([false, true], auto.Model.ChangeOutputs);
        Assert.True(auto.Report.ValRmsePerTarget![1] < value.Report.ValRmsePerTarget![1], "the change forecast follows the ramp better");
    }

    [Fact]
    public void A_flat_validation_tail_says_nothing_and_keeps_the_value()
    {
        var report = new TrainingReport { ValRmsePerTarget = [0.1], BaselineRmsePerTarget = [0], PersistenceAdvantage = [1e6] };
        string path = Path.Combine(TestPaths.NewTempDir(), "one.csv");
        File.WriteAllLines(path, ["v", .. Enumerable.Range(0, 100).Select(i => (i % 5).ToString())]);
        Assert.Equal([false], ForecastModeSelection.ChangeWhereValueLoses(report, CsvSeries.Load(path, null, null, null)));
    }
}
