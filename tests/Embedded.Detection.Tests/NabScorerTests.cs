using Embedded.Evaluation.Nab;

namespace Embedded.Detection.Tests;

/// <summary>NAB scoring on small files worked out by hand (100 rows, probation 15, one window of rows 50..59).</summary>
public class NabScorerTests
{
    private static readonly AnomalyWindow Window = new(50, 59);

    private static NabFile FileWithDetections(params int[] rows)
    {
        var scores = new double[100];
        foreach (int row in rows) scores[row] = 1.0;
        return new NabFile("cat/a.csv", scores, [Window]);
    }

    private static double Raw(NabFile file, NabProfile profile) => NabScorer.ScoreFile(file, profile, 0.5).Raw;

    [Fact]
    public void ScaledSigmoidMatchesTheDefinition()
    {
        Assert.Equal(0.0, NabScoring.ScaledSigmoid(0), 12);
        Assert.Equal(0.9866142981514305, NabScoring.ScaledSigmoid(-1), 12);
        Assert.Equal(-1.0, NabScoring.ScaledSigmoid(3.01));
        Assert.True(NabScoring.ScaledSigmoid(2.9) > -1.0);
    }

    [Theory]
    [InlineData(100, 15)]
    [InlineData(4032, 604)]
    [InlineData(10000, 750)]
    [InlineData(5, 0)]
    public void ProbationIsFifteenPercentAtMost750(int rows, int expected) => Assert.Equal(expected, NabScoring.ProbationaryLength(rows));

    [Fact]
    public void DetectionAtWindowStartEarnsTheFullTruePositiveWeight()
    {
        var file = FileWithDetections(50);
        Assert.Equal(1.0, Raw(file, NabProfile.Standard), 9);
        var tally = NabScorer.ScoreFile(file, NabProfile.Standard, 0.5);
        Assert.Equal(100.0, tally.Normalized!.Value, 9);
        Assert.Equal(1, tally.DetectedWindows);
        Assert.Equal(0, tally.FalsePositiveRows);
    }

    [Fact]
    public void LateDetectionEarnsLess() => Assert.Equal(0.24824154977542992, Raw(FileWithDetections(59), NabProfile.Standard), 9);

    [Fact]
    public void OnlyTheEarliestDetectionInAWindowCounts() =>
        Assert.Equal(0.9771068409226045, Raw(FileWithDetections(55, 52, 58), NabProfile.Standard), 9);

    [Fact]
    public void MissedWindowCostsTheFalseNegativeWeight()
    {
        Assert.Equal(-1.0, Raw(FileWithDetections(), NabProfile.Standard), 12);
        Assert.Equal(-2.0, Raw(FileWithDetections(), NabProfile.RewardLowFalseNegatives), 12);
        Assert.Equal(0.0, NabScorer.ScoreFile(FileWithDetections(), NabProfile.Standard, 0.5).Normalized!.Value, 9);
    }

    [Fact]
    public void FalsePositiveBeforeAnyWindowCostsTheFullFalsePositiveWeight()
    {
        Assert.Equal(1.0 - 0.11, Raw(FileWithDetections(50, 20), NabProfile.Standard), 12);
        Assert.Equal(1.0 - 0.22, Raw(FileWithDetections(50, 20), NabProfile.RewardLowFalsePositives), 12);
    }

    [Fact]
    public void FalsePositiveJustAfterAWindowCostsLessByDistance()
    {
        // Row 64: |59 - 64| / (10 - 1) past the window; 0.11 * scaledSigmoid(5/9) = -0.0971...
        Assert.Equal(1.0 - 0.09712188136763907, Raw(FileWithDetections(50, 64), NabProfile.Standard), 9);
        Assert.Equal(1.0 - 0.19424376273527813, Raw(FileWithDetections(50, 64), NabProfile.RewardLowFalsePositives), 9);
        // Far after the window (more than 3 window widths): the full cost.
        Assert.Equal(1.0 - 0.11, Raw(FileWithDetections(50, 95), NabProfile.Standard), 12);
    }

    [Fact]
    public void ProbationaryRowsAreNotScored() => Assert.Equal(-1.0, Raw(FileWithDetections(3, 14), NabProfile.Standard), 12);

    [Fact]
    public void ThresholdIsOptimisedOverAllFilesJointly()
    {
        // File a: a false positive scored 0.9 and the window start scored 0.8. File b: its window start scored 0.7.
        var a = new double[100]; a[20] = 0.9; a[50] = 0.8;
        var b = new double[100]; b[50] = 0.7;
        var files = new[] { new NabFile("x/a.csv", a, [Window]), new NabFile("y/b.csv", b, [Window]) };
        // Thresholds: above 0.9 -> -2; 0.9 -> -2.11; 0.8 -> -0.11; 0.7 -> 1.89 (best); 0 -> many false positives.
        Assert.Equal(0.7, NabScorer.OptimiseThreshold(files, NabProfile.Standard));
        var result = NabScorer.Score(files, NabProfile.Standard);
        Assert.Equal(1.89, result.Total.Raw, 9);
        Assert.Equal(2, result.Total.DetectedWindows);
        Assert.Equal(1, result.Total.FalsePositiveRows);
        Assert.Equal(100.0 * (1.89 + 2) / 4, result.Total.Normalized!.Value, 9);
        Assert.Equal(0.89, result.ByCategory["x"].Raw, 9);
        Assert.Equal(1.0, result.ByCategory["y"].Raw, 9);
    }

    [Fact]
    public void NullDetectorScoresZeroAndPerfectDetectorHundred()
    {
        var none = new[] { new NabFile("x/a.csv", new double[100], [Window]) };
        Assert.Equal(0.0, NabScorer.Score(none, NabProfile.Standard).Total.Normalized!.Value, 9);
        var perfect = new double[100]; perfect[50] = 1;
        Assert.Equal(100.0, NabScorer.Score([new NabFile("x/a.csv", perfect, [Window])], NabProfile.RewardLowFalseNegatives).Total.Normalized!.Value, 9);
    }

    [Fact]
    public void WindowsAreMatchedToRowsByTimestamp()
    {
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, 10).Select(i => start.AddMinutes(5 * i)).ToArray();
        Assert.Equal(new AnomalyWindow(2, 4), NabTimestamps.ToRows(rows, start.AddMinutes(7), start.AddMinutes(20)));
        Assert.Null(NabTimestamps.ToRows(rows, start.AddDays(1), start.AddDays(2)));
    }
}
