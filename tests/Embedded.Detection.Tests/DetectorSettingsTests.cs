using Embedded.Shared.Detection;
using Embedded.Shared.Model;

namespace Embedded.Detection.Tests;

public class DetectorSettingsTests
{
    [Fact]
    public void SetFieldsReplaceTheModelsAndTheExitKeepsItsRatio()
    {
        var p = DetectorParameters.CreateDefault(2, 8);   // threshold 6 of 60 decades, exit a quarter of it
        int exitRatio = p.Threshold / p.StateExit;
        new DetectorSettings { ThresholdDecadesQ8 = 12 * 256, HoldOffSamples = 50, StateHoldSamples = 0 }.ApplyTo(p);
        Assert.Equal(AnomalyDetector.ScoreOne * 12 / 60 + p.PerTrackerRaise(), p.Threshold);   // raised by log10(4 trackers)
        Assert.InRange(p.Threshold / p.StateExit, exitRatio - 1, exitRatio + 1);
        Assert.Equal(50, p.HoldOffSamples);
        Assert.Equal(0, p.StateHoldSamples);
        Assert.Equal(16, p.WarmupSamples); // kept
    }

    [Fact]
    public void TheModelsOwnSensitivityLaidOverItChangesNothing()
    {
        // 8 channels: calibration raises the 6-decade sensitivity by log10(16 trackers); a user's "6" on the
        // device lands on the same threshold and exit, not on a plain 6 decades.
        var (actual, predicted) = AnomalyDetectorTests.IndependentNoise(8, 600, seed: 3);
        var p = Embedded.Trainer.Detection.DetectorCalibration.CalibrateParameters(actual, predicted, 8, Embedded.Trainer.Detection.DetectorCalibrationOptions.Default)!;
        int threshold = p.Threshold, exit = p.StateExit;
        new DetectorSettings { ThresholdDecadesQ8 = 6 * 256 }.ApplyTo(p);
        Assert.Equal(threshold, p.Threshold);
        Assert.Equal(exit, p.StateExit);
    }

    [Fact]
    public void OutOfRangeSettingsAreRefusedNamingTheField()
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        Assert.Contains("threshold", Assert.Throws<ArgumentException>(() => new DetectorSettings { ThresholdDecadesQ8 = 61 * 256 }.ApplyTo(p)).Message);
        Assert.Contains("hold-off", Assert.Throws<ModelFormatException>(() => new DetectorSettings { HoldOffSamples = 70000 }.ApplyTo(DetectorParameters.CreateDefault(1, 8))).Message);
    }

    [Fact]
    public void EmptySettingsGiveTheModelsOwnDetector()
    {
        Assert.True(new DetectorSettings().IsEmpty);
        Assert.False(new DetectorSettings { WarmupSamples = 0 }.IsEmpty);
    }
}
