using Embedded.Evaluation.Demo;
using Embedded.Evaluation.Detection;
using Embedded.Evaluation.Nab;
using Embedded.Tests.Common;

namespace Embedded.Detection.Tests;

/// <summary>The full on-device path: train on the first rows, quantize, score every row with Predictor + AnomalyDetector.</summary>
public class TrainAndDetectTests
{
    private static readonly ForecastTrainingOptions Quick = ForecastTrainingOptions.Default with { Hidden = 8, Epochs = 8 };

    [Fact]
    public void TrainingOnTheFirstRowsThenScoringFindsAnInjectedSpike()
    {
        string dir = TestPaths.NewTempDir();
        string data = DetectPipelineTests.WriteStream(dir, "stream.csv", rows: 1500, spikeAt: 1200);
        var run = DetectPipeline.Run(new DetectOptions { DataPath = data, Training = Quick });
        Assert.Equal(NabScoring.ProbationaryLength(1500), run.TrainRows);
        Assert.Equal(1500, run.Scored.Scores.Length);
        Assert.All(run.Scored.Scores, s => Assert.InRange(s, 0.0, 1.0));
        Assert.True(run.Model.DetectorSection.Length > 0, "quantize calibrated the detector");
        // The spike is the highest score after training, and it raises an alarm.
        int peak = Array.IndexOf(run.Scored.Scores, run.Scored.Scores[run.TrainRows..].Max());
        Assert.InRange(peak, 1200, 1216);
        Assert.Contains(true, run.Scored.Anomalies[1200..1217]);
    }

    [Fact]
    public void DemoWritesModelScoresAndPlotAndCountsWindows()
    {
        string dir = TestPaths.NewTempDir();
        string data = DetectPipelineTests.WriteStream(dir, "stream.csv", rows: 1500, spikeAt: 1200);
        string windows = Path.Combine(dir, "windows.json");
        // 5-minute rows from 2024-01-01: rows 1190..1230.
        File.WriteAllText(windows, """{ "stream.csv": [["2024-01-05 03:10:00", "2024-01-05 06:30:00"]] }""");
        var summary = DemoRunner.Run(data, windows, Path.Combine(dir, "out"), Quick);
        Assert.Equal(1, summary.LabelledWindows);
        Assert.Equal(1, summary.WindowsFound);
        Assert.True(summary.ModelBytes > 0 && summary.ParameterBytes > 0 && summary.DetectorBytes > 0);
        Assert.True(summary.RmseFixedVsFloat < 0.05 * summary.RmseFloat + 0.01, $"fixed vs float {summary.RmseFixedVsFloat}, float error {summary.RmseFloat}");
        Assert.True(new FileInfo(summary.PlotPath).Length > 10_000);
        Assert.True(File.Exists(summary.ModelPath) && File.Exists(summary.ScoresPath));
        var png = File.ReadAllBytes(summary.PlotPath);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [SkippableFact]
    public void NabFileScoresThroughTheWholePipeline()
    {
        string? path = TestPaths.SharedFile("nab", "artificialWithAnomaly", "art_daily_jumpsup.csv");
        Skip.If(path is null, "../shared/data/nab is not present");
        var run = DetectPipeline.Run(new DetectOptions { DataPath = path!, Training = Quick });
        Assert.Equal(4032, run.Scored.Scores.Length);
        Assert.All(run.Scored.Scores, s => Assert.InRange(s, 0.0, 1.0));
    }
}
