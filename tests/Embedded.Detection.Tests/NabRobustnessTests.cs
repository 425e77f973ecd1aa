using System.Globalization;
using Embedded.Cli.Commands;
using Embedded.Evaluation.Nab;
using Embedded.Tests.Common;
using Embedded.Trainer.Detection;

namespace Embedded.Detection.Tests;

/// <summary>The leave-one-out check of the detector defaults (`evaluate --robustness`) on a small synthetic corpus.</summary>
[Collection(ConsoleCollection.Name)]
public class NabRobustnessTests
{
    private static readonly DateTime Start = new(2024, 1, 1);

    private static string Stamp(int row) => Start.AddMinutes(5 * row).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A noisy 40-row wave; <paramref name="anomaly"/> (if any) adds 12 from that row for 5 rows.</summary>
    private static void WriteSeries(string path, int rows, int anomaly, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        var lines = new List<string> { "timestamp,value" };
        for (int t = 0; t < rows; t++)
        {
            double v = 10 + 3 * Math.Sin(2 * Math.PI * t / 40) + 0.1 * random.NextDouble();
            if (anomaly > 0 && t >= anomaly && t < anomaly + 5) v += 12;
            lines.Add($"{Stamp(t)},{v.ToString("R", CultureInfo.InvariantCulture)}");
        }
        File.WriteAllLines(path, lines);
    }

    private static (string Data, string Windows) Corpus()
    {
        string dir = TestPaths.NewTempDir();
        WriteSeries(Path.Combine(dir, "one", "a.csv"), 700, 500, 1);
        WriteSeries(Path.Combine(dir, "two", "b.csv"), 700, 600, 2);
        WriteSeries(Path.Combine(dir, "clean", "c.csv"), 700, 0, 3);
        string windows = Path.Combine(dir, "windows.json");
        File.WriteAllText(windows, $$"""
            {
              "one/a.csv": [["{{Stamp(480)}}", "{{Stamp(540)}}"]],
              "two/b.csv": [["{{Stamp(580)}}", "{{Stamp(640)}}"]],
              "clean/c.csv": []
            }
            """);
        return (dir, windows);
    }

    [Fact]
    public void PreparedCalibrationRowsAreExactlyTheQuantizers()
    {
        var (data, windows) = Corpus();
        var prepared = NabRobustness.Prepare(data, windows);
        Assert.Equal(3, prepared.Count);
        foreach (var file in prepared)
        {
            // Recalibrating with the defaults reproduces the detector section detect's quantizer wrote.
            var again = DetectorCalibration.Calibrate(file.CalibrationActual, file.CalibrationForecast, file.Model.OutputFracBits);
            Assert.Equal(file.Model.DetectorSection, again);
        }
    }

    [Fact]
    public void LeaveOneOutPicksOnTheRestAndScoresTheLeftOutPart()
    {
        var (data, windows) = Corpus();
        var prepared = NabRobustness.Prepare(data, windows);
        // Learning ramp off: on these 700-row files it would score the same event lower at row 500 than at
        // row 600, and the threshold picked on one file alone sits exactly at that file's event score.
        var defaults = DetectorCalibrationOptions.Default with { ConfidenceSamples = 0 };
        var grid = new List<NabRobustness.Variant>
        {
            new("defaults", defaults),
            new("blind", defaults with { SpatialTolerance = 0, MinimumThresholdDecades = 60, ScoreDecades = 60, AverageWindow = 64 }),
        };
        var results = grid.Select(v => NabRobustness.Score(prepared, v)).ToList();
        var total = results[0].Standard.Total;
        Assert.Equal(2, total.Windows);
        Assert.Equal(2, total.DetectedWindows);
        var held = NabRobustness.LeaveOneOut(results);
        // The three categories (windows.json order), then the two files with windows.
        Assert.Equal(["clean", "one", "two", "one/a.csv", "two/b.csv"], held.Select(h => h.LeftOut).ToArray());
        Assert.All(held, h => Assert.Equal("defaults", h.Pick.Name));
        var leftOutA = held.Single(h => h.LeftOut == "one/a.csv").LeftOutTally;
        Assert.Equal(1, leftOutA.Windows);
        Assert.Equal(1, leftOutA.DetectedWindows);
    }

    [Fact]
    public void RobustnessReportListsVariantsPicksAndTheHeldOutTotal()
    {
        var (data, windows) = Corpus();
        var grid = new List<NabRobustness.Variant>
        {
            new("defaults", DetectorCalibrationOptions.Default),
            new("spatial off", DetectorCalibrationOptions.Default with { SpatialTolerance = 0 }),
        };
        string report = EvaluateCommand.RobustnessReport(data, windows, grid);
        Assert.Contains("spatial off", report);
        // Another training seed trains other forecasters: the same report, from other scores.
        string seeded = EvaluateCommand.RobustnessReport(data, windows, grid, seed: 2);
        Assert.Contains("leave-one-file-out, the held-out files together:", seeded);
        Assert.Contains("without one/a.csv", report);
        Assert.Contains("leave-one-file-out, the held-out files together:", report);
    }

    [Fact]
    public void EvaluateWithoutScoresOrRobustnessIsAnError()
    {
        var (data, windows) = Corpus();
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        int exit;
        try { exit = EvaluateCommand.Create().Parse(["--data", data, "--windows", windows]).Invoke(); }
        finally { Console.SetError(saved); }
        Assert.Equal(1, exit);
        Assert.Contains("--scores", error.ToString());
    }
}
