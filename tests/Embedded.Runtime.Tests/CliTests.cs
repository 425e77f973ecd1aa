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
        var root = new RootCommand("test") { QuantizeCommand.Create(), InspectCommand.Create(), BenchCommand.Create() };
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

    [Fact]
    public void Bench_times_both_kernels_on_the_golden_inputs_and_reports_no_allocation()
    {
        string dir = TestPaths.NewTempDir();
        string bin = Path.Combine(dir, "model.bin");
        File.WriteAllBytes(bin, TestModels.Make(CellType.Lstm, 8, inputs: 3, hidden: 16, layers: 2, outputs: 2, seed: 5, rows: 20).Quantized.Image);
        string json = Path.Combine(dir, "bench.json");

        Assert.Equal(0, Run("bench", bin, "--steps", "300", "--rounds", "3", "--json", json));

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(16, doc.RootElement.GetProperty("hidden").GetInt32());
        var kernels = doc.RootElement.GetProperty("kernels").EnumerateArray().ToArray();
        Assert.Equal(new[] { "portable", "accelerated" }, kernels.Select(k => k.GetProperty("kernel").GetString()));
        foreach (var k in kernels)
        {
            Assert.Equal(3, k.GetProperty("rounds_ns_per_step").GetArrayLength());
            Assert.True(k.GetProperty("ns_per_step").GetDouble() > 0);
            Assert.True(k.GetProperty("p50").GetDouble() <= k.GetProperty("p99").GetDouble());
            Assert.True(k.GetProperty("p99").GetDouble() <= k.GetProperty("max").GetDouble());
            Assert.Equal(0, k.GetProperty("allocated_bytes_per_step").GetDouble());
        }
    }

    [Fact]
    public void Bench_refuses_a_damaged_model_and_bad_options()
    {
        string dir = TestPaths.NewTempDir();
        string bin = Path.Combine(dir, "model.bin");
        byte[] image = TestModels.Make(CellType.Gru, 16, inputs: 2, hidden: 8, layers: 1, outputs: 1, seed: 3, rows: 20).Quantized.Image;
        File.WriteAllBytes(bin, image[..(image.Length / 2)]);
        Assert.Equal(1, Run("bench", bin));
        Assert.Equal(1, Run("bench", Path.Combine(dir, "missing.bin")));
        File.WriteAllBytes(bin, image);
        Assert.NotEqual(0, Run("bench", bin, "--kernel", "gpu"));
        Assert.NotEqual(0, Run("bench", bin, "--steps", "0"));
        Assert.Equal(1, Run("bench", bin, "--cpu", "4096"));
    }
}
