using System.CommandLine;
using System.Text.Json;
using Embedded.Cli.Commands;
using Embedded.Shared;
using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Checkpoints;

namespace Embedded.Runtime.Tests;

/// <summary>`quantize` and `inspect` end to end: checkpoint + CSV in, model.bin + report out, inspect checks it.</summary>
[Collection("Console")]
public class CliTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand("test") { QuantizeCommand.Create(), InspectCommand.Create() };
        return root.Parse(args).Invoke();
    }

    [Fact]
    public void Quantize_writes_model_and_report_and_inspect_verifies_them()
    {
        string dir = TestPaths.NewTempDir();
        var series = ForecastFits.NoisySine(600, 0.1, seed: 2);
        var model = ForecastFits.Fit(CellType.Gru, series, hidden: 12, seed: 1, fitRows: 400);
        string checkpoint = Path.Combine(dir, "model.ckpt");
        FloatModelFile.Save(checkpoint, model);
        string csv = Path.Combine(dir, "data.csv");
        File.WriteAllLines(csv, new[] { "value" }.Concat(series.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        string bin = Path.Combine(dir, "model.bin");

        Assert.Equal(0, Run("quantize", "--model", checkpoint, "--bits", "8", "--calibration", csv, "--out", bin));

        var image = ModelImage.Parse(File.ReadAllBytes(bin));
        Assert.Equal(8, image.WeightBits);
        Assert.Equal(0, Predictor.CountGoldenMismatches(image));
        using var report = JsonDocument.Parse(File.ReadAllText(bin + ".report.json"));
        Assert.Equal(image.Length, report.RootElement.GetProperty("size_bytes").GetInt32());
        foreach (var key in new[] { "rmse_vs_float", "max_abs_vs_float", "rmse_fixed", "rmse_float" })
            Assert.True(report.RootElement.GetProperty(key).GetDouble() >= 0, key);

        Assert.Equal(0, Run("inspect", bin));

        var damaged = File.ReadAllBytes(bin);
        damaged[60] ^= 1;
        File.WriteAllBytes(bin, damaged);
        Assert.Equal(1, Run("inspect", bin));
    }

    [Fact]
    public void Quantize_reports_bad_input_with_a_nonzero_exit_code()
    {
        string dir = TestPaths.NewTempDir();
        string missing = Path.Combine(dir, "missing.ckpt");
        Assert.Equal(1, Run("quantize", "--model", missing, "--calibration", missing, "--out", Path.Combine(dir, "m.bin")));
        Assert.NotEqual(0, Run("quantize", "--model", missing, "--bits", "4", "--calibration", missing, "--out", Path.Combine(dir, "m.bin")));
        Assert.False(File.Exists(Path.Combine(dir, "m.bin")));
    }
}
