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

    [Fact]
    public void MultiChannelStreamsAreWatchedColumnByColumn()
    {
        string dir = TestPaths.NewTempDir();
        string path = Path.Combine(dir, "two.csv");
        var random = new Random(3);
        var lines = new List<string> { "timestamp,temperature,pressure" };
        for (int t = 0; t < 1200; t++)
        {
            double a = 20 + 5 * Math.Sin(t / 8.0) + 0.2 * random.NextDouble();
            double b = 100 + 10 * Math.Cos(t / 12.0) + 0.5 * random.NextDouble() + (t == 1000 ? 80 : 0);
            lines.Add($"{new DateTime(2024, 1, 1).AddMinutes(t):yyyy-MM-dd HH:mm:ss},{a:0.###},{b:0.###}");
        }
        File.WriteAllLines(path, lines);
        var run = DetectPipeline.Run(new DetectOptions { DataPath = path, Training = Quick });
        Assert.Equal(2, run.Model.InputCount);
        Assert.Equal(2, run.Model.OutputCount);
        string output = Path.Combine(dir, "scores.csv");
        ScoresCsv.Write(output, run.Series, run.Scored);
        Assert.Equal("timestamp,temperature,temperature_prediction,pressure,pressure_prediction,anomaly_score,is_anomaly,alarm", File.ReadLines(output).First());
        int peak = Array.IndexOf(run.Scored.Scores, run.Scored.Scores[run.TrainRows..].Max());
        Assert.InRange(peak, 1000, 1016);
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
