using Embedded.Evaluation.Detection;
using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Training;

namespace Embedded.Detection.Tests;

/// <summary>Folding several forecasters into one wider model must forecast exactly their mean.</summary>
public class ForecastEnsembleTests
{
    [Theory]
    [InlineData(CellType.Lstm)]
    [InlineData(CellType.Gru)]
    [InlineData(CellType.Rnn)]
    public void MergedModelForecastsTheMembersMean(CellType cell)
    {
        var members = Enumerable.Range(0, 3).Select(seed => Member(cell, seed)).ToArray();
        var merged = ForecastEnsemble.Merge(members);
        Assert.Equal(15, merged.HiddenSize);

        var random = new Random(7);
        var rows = Enumerable.Range(0, 40).Select(_ => new[] { random.NextDouble() * 4 - 2, random.NextDouble() }).ToArray();
        var each = members.Select(m => FloatPredictor.PredictSeries(m, rows)).ToArray();
        var together = FloatPredictor.PredictSeries(merged, rows);
        for (int t = 0; t < rows.Length; t++)
            Assert.Equal(each.Average(e => e[t][0]), together[t][0], 5);
    }

    [Fact]
    public void OneMemberIsReturnedAsIs()
    {
        var only = Member(CellType.Lstm, 1);
        Assert.Same(only, ForecastEnsemble.Merge([only]));
    }

    [Fact]
    public void MembersOfDifferentShapesAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ForecastEnsemble.Merge([Member(CellType.Lstm, 1), Member(CellType.Gru, 2)]));
        Assert.Contains("share", error.Message);
    }

    [Fact]
    public void ChoosingAmongCandidatesIsDeterministicAndCandidateZeroIsTheSeedItself()
    {
        Assert.Equal(5, ForecastTraining.CandidateSeed(5, 0));
        Assert.NotEqual(ForecastTraining.CandidateSeed(5, 1), ForecastTraining.CandidateSeed(5, 2));
        Assert.NotEqual(ForecastTraining.CandidateSeed(1, 1), ForecastTraining.CandidateSeed(2, 1));
    }

    [Fact]
    public void DetectWithAnAveragedEnsembleRunsTheWiderModelOnTheDevicePathAndIsRepeatable()
    {
        string dir = Embedded.Tests.Common.TestPaths.NewTempDir();
        string data = DetectPipelineTests.WriteStream(dir, "stream.csv", rows: 1500, spikeAt: 1200);
        var training = ForecastTrainingOptions.Default with { Hidden = 4, Epochs = 4, Candidates = 3, EnsembleMembers = 2 };
        var first = DetectPipeline.Run(new DetectOptions { DataPath = data, Training = training });
        var again = DetectPipeline.Run(new DetectOptions { DataPath = data, Training = training });
        Assert.Equal(8, first.FloatModel!.HiddenSize);
        Assert.Equal(first.ModelBytes, again.ModelBytes);
        Assert.Equal(first.Scored.Scores, again.Scored.Scores);
        Assert.All(first.Scored.Scores, s => Assert.InRange(s, 0.0, 1.0));
    }

    [Theory]
    [InlineData(0, 1, "--candidates")]
    [InlineData(2, 3, "--ensemble")]
    [InlineData(2, 0, "--ensemble")]
    public void BadCandidateOrEnsembleCountsAreNamed(int candidates, int members, string named)
    {
        string dir = Embedded.Tests.Common.TestPaths.NewTempDir();
        string data = DetectPipelineTests.WriteStream(dir, "stream.csv", rows: 600, spikeAt: 500);
        var training = ForecastTrainingOptions.Default with { Hidden = 4, Epochs = 1, Candidates = candidates, EnsembleMembers = members };
        var error = Assert.Throws<ArgumentException>(() => DetectPipeline.Run(new DetectOptions { DataPath = data, Training = training }));
        Assert.Contains(named, error.Message);
    }

    private static FloatModel Member(CellType cell, int seed)
    {
        var template = new FloatModel
        {
            Cell = cell, Task = TaskKind.Forecast, InputSize = 2, HiddenSize = 5, Layers = 1, OutputSize = 1,
            InputMean = [0, 0], InputStd = [1, 1], TargetMean = [0], TargetStd = [1],
            FeatureColumns = ["a", "b"], TargetColumns = ["a"],
        };
        return FloatModelFactory.Create(cell, TaskKind.Forecast, 2, 5, 1, false, 1, new Random(seed), template);
    }
}
