using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Data;
using Embedded.Trainer.Training;

namespace Embedded.Trainer.Tests;

/// <summary>Training end to end: forecasting beats persistence, text perplexity drops, classification learns, faults and resume.</summary>
public class TrainingTests
{
    internal static string NoisySineCsv(int rows = 2000, int seed = 1)
    {
        var random = new Random(seed);
        var lines = new List<string> { "timestamp,value" };
        for (int t = 0; t < rows; t++)
        {
            double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            lines.Add(FormattableString.Invariant($"{t},{Math.Sin(2 * Math.PI * t / 40) + 0.1 * noise:F5}"));
        }
        string path = Path.Combine(TestPaths.NewTempDir(), "sine.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static TrainOptions Small(CellType cell = CellType.Lstm) => new()
    {
        Cell = cell, Hidden = 16, Window = 32, Epochs = 4, Stride = 2, Patience = 0, Seed = 1, LearningRate = 0.01,
    };

    [Theory]
    [InlineData(CellType.Lstm), InlineData(CellType.Gru), InlineData(CellType.Rnn)]
    public void NoisySineForecastBeatsPersistence(CellType cell)
    {
        var data = CsvSeries.Load(NoisySineCsv(), null, ["value"], "timestamp");
        var result = ModelTrainer.TrainForecast(data, Small(cell));
        var r = result.Report;
        Assert.Equal("completed", r.StopReason);
        Assert.True(r.ValRmse < 0.8 * r.BaselineRmse, $"val_rmse {r.ValRmse} vs persistence {r.BaselineRmse}");
        Assert.Equal(data.TargetColumns, result.Model.TargetColumns);
        Assert.Equal(1, result.Model.Horizon);
    }

    [Fact]
    public void TruncatedBpttForecastBeatsPersistence()
    {
        var data = CsvSeries.Load(NoisySineCsv(), null, ["value"], "timestamp");
        var options = Small();
        options.Tbptt = 20;
        options.BatchSize = 8;
        options.Epochs = 6;
        var r = ModelTrainer.TrainForecast(data, options).Report;
        Assert.True(r.ValRmse < 0.8 * r.BaselineRmse, $"val_rmse {r.ValRmse} vs persistence {r.BaselineRmse}");
    }

    [SkippableFact]
    public void NabNycTaxiForecastBeatsPersistence()
    {
        string? path = TestPaths.SharedFile("nab", "realKnownCause", "nyc_taxi.csv");
        Skip.If(path is null, "../shared/data/nab is absent");
        var data = CsvSeries.Load(path!, null, ["value"], "timestamp");
        var options = new TrainOptions { Cell = CellType.Lstm, Hidden = 24, Window = 48, Stride = 8, Epochs = 5, Patience = 0, Seed = 1, LearningRate = 0.01 };
        var result = ModelTrainer.TrainForecast(data, options);
        var r = result.Report;
        Assert.True(r.ValRmse < 0.85 * r.BaselineRmse, $"val_rmse {r.ValRmse} vs persistence {r.BaselineRmse}");
        Assert.Equal(1800, result.Model.SamplePeriodSeconds);
    }

    [SkippableFact]
    public void TimeMachinePerplexityDropsWellBelowUniform()
    {
        string? path = TestPaths.SharedFile("text", "timemachine.txt");
        Skip.If(path is null, "../shared/data/text is absent");
        var corpus = TextCorpus.Load(path!, 10_000);
        var options = new TrainOptions
        {
            Cell = CellType.Gru, Hidden = 64, Window = 35, BatchSize = 32, Epochs = 12, LearningRate = 0.01,
            ValidationFraction = 0.1, Patience = 0, Seed = 1,
        };
        var r = ModelTrainer.TrainText(corpus, options).Report;
        Assert.True(r.TrainPerplexity < 10, $"train perplexity {r.TrainPerplexity} (uniform: 28)");
        Assert.True(r.ValPerplexity < 12, $"validation perplexity {r.ValPerplexity} (uniform: 28)");
    }

    [Theory]
    [InlineData(false), InlineData(true)]
    public void ClassifierLearnsTheSignOfRecentRows(bool bidirectional)
    {
        var random = new Random(5);
        var lines = new List<string> { "x,label" };
        var xs = new double[1500];
        for (int t = 0; t < xs.Length; t++)
        {
            xs[t] = random.NextDouble() * 2 - 1;
            double recent = 0;
            for (int k = Math.Max(0, t - 2); k <= t; k++) recent += xs[k];
            lines.Add(FormattableString.Invariant($"{xs[t]:F4},{(recent > 0 ? "up" : "down")}"));
        }
        string path = Path.Combine(TestPaths.NewTempDir(), "cls.csv");
        File.WriteAllLines(path, lines);
        var options = new TrainOptions { Cell = CellType.Gru, Hidden = 16, Window = 8, Epochs = 8, Patience = 0, LearningRate = 0.02, Bidirectional = bidirectional };
        var result = ModelTrainer.TrainClassifier(path, null, "label", null, options);
        Assert.Equal(["down", "up"], result.Model.ClassNames);
        Assert.True(result.Report.ValAccuracy > 0.85, $"val_accuracy {result.Report.ValAccuracy}");
    }

    [Fact]
    public void SameSeedSameModel()
    {
        var data = CsvSeries.Load(NoisySineCsv(600), null, ["value"], "timestamp");
        var options = Small();
        options.Epochs = 2;
        var a = ModelTrainer.TrainForecast(data, options).Model;
        var b = ModelTrainer.TrainForecast(data, options).Model;
        foreach (var (name, t) in a.Parameters) Assert.Equal(t.Data, b[name].Data);
    }

    [Fact]
    public void ResumeContinuesExactlyWhereACheckpointLeftOff()
    {
        var data = CsvSeries.Load(NoisySineCsv(600), null, ["value"], "timestamp");
        string dir = TestPaths.NewTempDir();
        var straight = Small();
        straight.Epochs = 4;
        var full = ModelTrainer.TrainForecast(data, straight).Model;

        var firstHalf = Small();
        firstHalf.Epochs = 2;
        firstHalf.CheckpointPath = Path.Combine(dir, "m.ckpt");
        ModelTrainer.TrainForecast(data, firstHalf);
        var model = FloatModelFile.Load(firstHalf.CheckpointPath, out var state);
        Assert.NotNull(state);
        Assert.Equal(2, state.EpochsDone);
        var rest = Small();
        rest.Epochs = 4;
        var resumed = ModelTrainer.TrainForecast(data, rest, model, state);
        Assert.Equal(4, resumed.Report.EpochsRun);
        foreach (var (name, t) in full.Parameters) Assert.Equal(t.Data, resumed.Model[name].Data);
    }

    [Fact]
    public void NonFiniteLossStopsAndKeepsTheLastGoodCheckpoint()
    {
        var data = CsvSeries.Load(NoisySineCsv(600), null, ["value"], "timestamp");
        string path = Path.Combine(TestPaths.NewTempDir(), "m.ckpt");
        var good = Small();
        good.Epochs = 1;
        good.CheckpointPath = path;
        ModelTrainer.TrainForecast(data, good);
        byte[] before = File.ReadAllBytes(path);
        var model = FloatModelFile.Load(path, out var state);

        var exploding = Small();
        exploding.Epochs = 3;
        exploding.Optimizer = OptimizerKind.Sgd;
        exploding.LearningRate = 1e300;
        exploding.Clip = 0;
        exploding.CheckpointPath = path;
        var result = ModelTrainer.TrainForecast(data, exploding, model, state);
        Assert.Equal("nan_loss", result.StopReason);
        Assert.Equal(before, File.ReadAllBytes(path));
        foreach (var (name, t) in model.Parameters) Assert.Equal(t.Data, result.Model[name].Data);
    }

    [Fact]
    public void CancellationSavesACheckpointThatResumes()
    {
        var data = CsvSeries.Load(NoisySineCsv(600), null, ["value"], "timestamp");
        string path = Path.Combine(TestPaths.NewTempDir(), "m.ckpt");
        using var cancel = new CancellationTokenSource();
        var options = Small();
        options.Epochs = 5;
        options.CheckpointPath = path;
        var result = ModelTrainer.TrainForecast(data, options, progress: new CancelAfterFirstEpoch(cancel), cancel: cancel.Token);
        Assert.Equal("cancelled", result.StopReason);
        var model = FloatModelFile.Load(path, out var state);
        Assert.Equal(1, state!.EpochsDone);
        var resumed = ModelTrainer.TrainForecast(data, options, model, state);
        Assert.Equal("completed", resumed.StopReason);
        Assert.Equal(5, resumed.Report.EpochsRun);
    }

    [Fact]
    public void TooFewRowsIsAClearDataError()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "short.csv");
        File.WriteAllLines(path, ["value", "1", "2", "3", "4", "5"]);
        var data = CsvSeries.Load(path, null, null);
        var e = Assert.Throws<DataFormatException>(() => ModelTrainer.TrainForecast(data, Small()));
        Assert.Contains("too few rows", e.Message);
        Assert.Contains("short.csv", e.Message);
    }

    [Fact]
    public void FloatPredictorStepsMatchTheBatchedForwardInRawUnits()
    {
        var data = CsvSeries.Load(NoisySineCsv(600), null, ["value"], "timestamp");
        var options = Small();
        options.Epochs = 1;
        var model = ModelTrainer.TrainForecast(data, options).Model;
        var seq = new Embedded.Trainer.Network.SequenceModel(model);
        int w = model.Window, end = 400;
        var x = new double[w];
        for (int t = 0; t < w; t++) x[t] = (data.Features[end - w + 1 + t][0] - model.InputMean[0]) / model.InputStd[0];
        double batched = seq.ForwardAll(x, w, 1)[w - 1] * model.TargetStd[0] + model.TargetMean[0];
        var predictor = new FloatPredictor(model);
        double[] streamed = [];
        for (int t = end - w + 1; t <= end; t++) streamed = predictor.Step(data.Features[t]);
        Assert.Equal(batched, streamed[0], 12);
        Assert.True(Math.Abs(streamed[0] - data.Targets[end + 1][0]) < 0.5, "the forecast is in raw units near the next value");
    }

    [Fact]
    public void ImportedPyTorchWeightsStartTrainingWithTheDataNormalisation()
    {
        var data = CsvSeries.Load(NoisySineCsv(600), null, ["value"], "timestamp");
        var options = Small();
        options.Epochs = 2;
        var trained = ModelTrainer.TrainForecast(data, options);
        string path = Path.Combine(TestPaths.NewTempDir(), "w.safetensors");
        PyTorchWeights.Export(path, trained.Model, asFloat32: false);
        var imported = PyTorchWeights.Import(path, TaskKind.Forecast);
        Assert.Empty(imported.InputMean);
        options.Epochs = 1;
        var continued = ModelTrainer.TrainForecast(data, options, imported);
        Assert.Equal(trained.Model.InputMean, continued.Model.InputMean);
        Assert.Equal(["value"], continued.Model.TargetColumns);
        Assert.True(continued.Report.ValRmse < continued.Report.BaselineRmse);
    }

    private sealed class CancelAfterFirstEpoch(CancellationTokenSource source) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => source.Cancel();
    }
}
